// Internal to protocol/redirect: what RedirectSchema holds.
#pragma once

#include "protocol/redirect/schema.hpp"
#include "protocol/redirect/xml_raii.hpp"

namespace setpay::protocol {

struct RedirectSchema::Compiled {
  xml::Schema schema;
};

}  // namespace setpay::protocol
