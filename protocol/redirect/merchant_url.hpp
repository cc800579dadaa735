// The merchant's SET URL as message c carries it: an absolute http(s) URL with a host, no userinfo,
// no fragment, at most redirect_limits::urlMax characters. Checked with Boost.URL, never by hand.
#pragma once

#include <string>
#include <string_view>

namespace setpay::protocol {

// Empty when acceptable, else why not (for the error detail; never echoes the URL itself).
std::string merchantUrlProblem(std::string_view url);

}  // namespace setpay::protocol
