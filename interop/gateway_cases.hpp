// The cases `setpay interop gateway` plays (interop/CASES.md, "Gateway").
#pragma once

#include <vector>

#include "interop/cases.hpp"
#include "interop/gateway_player.hpp"

namespace setpay::interop {

const std::vector<Case<GatewayPlayer>>& gatewayCases();

}  // namespace setpay::interop
