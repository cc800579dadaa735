// The cases `setpay interop merchant` plays (interop/CASES.md, "Merchant").
#pragma once

#include <vector>

#include "interop/cases.hpp"
#include "interop/merchant_player.hpp"

namespace setpay::interop {

const std::vector<Case<MerchantPlayer>>& merchantCases();

}  // namespace setpay::interop
