// Fixture (never compiled): the core includes an area.
#include "protocol/messages/types.hpp"
