// A service built with SETPAY_SEEDED_FAULTS (tests/interop/CMakeLists.txt): the same code as `setpay
// gateway` or `setpay merchant`, except that the check named by SETPAY_SEEDED_FAULT is skipped. Tests
// only; SEEDED_ROLE says which service this binary is.
#include <cstdio>
#include <exception>
#include <string>

#include "protocol/seeded_fault.hpp"
#if SEEDED_ROLE_GATEWAY
#include "gateway/service/gateway_config.hpp"
#include "gateway/service/gateway_service.hpp"
#else
#include "merchant/service/merchant_config.hpp"
#include "merchant/service/merchant_service.hpp"
#endif

static_assert(setpay::protocol::seededFaultsBuilt(), "this variant must be compiled with SETPAY_SEEDED_FAULTS");

int main(int argc, char** argv) {
  if (argc != 3 || std::string(argv[1]) != "--config") {
    std::fprintf(stderr, "usage: %s --config FILE (SETPAY_SEEDED_FAULT=check)\n", argv[0]);
    return 2;
  }
  try {
#if SEEDED_ROLE_GATEWAY
    setpay::gateway::GatewayService service(setpay::gateway::loadGatewayServiceConfig(argv[2]));
#else
    setpay::merchant::MerchantService service(setpay::merchant::loadMerchantServiceConfig(argv[2]));
#endif
    service.start();
    return service.run() ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
    return 1;
  }
}
