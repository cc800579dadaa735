// Fixture (never compiled): a folder of protocol/ that layers.cmake does not name.
#include "protocol/bytes.hpp"
