// Fixture (never compiled): the include that made pki and messages a cycle before thumbs moved to purchase/.
#pragma once
#include "protocol/crypto/signed_data.hpp"
#include "protocol/messages/types.hpp"
