// Fixture (never compiled): crypto includes pki, which it does not depend on.
#include "protocol/crypto/digest.hpp"
#include "protocol/pki/validator.hpp"
