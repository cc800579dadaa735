// The small HTML pages services serve (the merchant's shop, the gateway-proxy's confirmation pages):
// text from peers and configs goes into them escaped, through this one function.
#pragma once

#include <string>
#include <string_view>

namespace setpay::runtime {

// &, <, >, " and ' as character references: safe in element content and in quoted attribute values.
std::string htmlEscape(std::string_view text);

}  // namespace setpay::runtime
