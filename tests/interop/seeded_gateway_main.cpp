// The gateway service built with SETPAY_SEEDED_FAULTS (tests/interop/CMakeLists.txt): the same code as
// `setpay gateway`, except that the check named by SETPAY_SEEDED_FAULT is skipped. Tests only.
#include <cstdio>
#include <exception>
#include <string>

#include "gateway/service/gateway_config.hpp"
#include "gateway/service/gateway_service.hpp"
#include "protocol/seeded_fault.hpp"

static_assert(setpay::protocol::seededFaultsBuilt(), "this variant must be compiled with SETPAY_SEEDED_FAULTS");

int main(int argc, char** argv) {
  if (argc != 3 || std::string(argv[1]) != "--config") {
    std::fprintf(stderr, "usage: seeded_gateway --config FILE (SETPAY_SEEDED_FAULT=check)\n");
    return 2;
  }
  try {
    setpay::gateway::GatewayService service(setpay::gateway::loadGatewayServiceConfig(argv[2]));
    service.start();
    return service.run() ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "seeded_gateway: %s\n", e.what());
    return 1;
  }
}
