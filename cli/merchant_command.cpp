// `setpay merchant --config F` runs the merchant service (merchant/service/); `setpay merchant capture
// --config F` sends CapReq for the approved, uncaptured authorizations in its database and records
// the CapRes (the same round the service runs every [capture] interval_s).
// Exit codes: 0 ok (the service: drained after SIGTERM; capture: every CapReq answered), 1 failed
// (capture: some CapReq went unanswered, sent again next time), 2 bad usage or configuration.
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "merchant/service/merchant_schema.hpp"
#include "merchant/service/merchant_service.hpp"
#include "runtime/log.hpp"

namespace setpay::cli {
namespace {

// The configuration, or nullopt after saying why on stderr (exit 2: a configuration error).
std::optional<merchant::MerchantServiceConfig> loadConfig(const std::string& configPath) {
  try {
    return merchant::loadMerchantServiceConfig(configPath);
  } catch (const runtime::ConfigError& e) {
    printErr("setpay merchant: {}\n", e.what());
    return std::nullopt;
  }
}

int runService(const std::string& configPath) {
  auto config = loadConfig(configPath);
  if (!config) return 2;
  merchant::MerchantService service(std::move(*config));
  service.start();
  return service.run() ? 0 : 1;
}

int capture(const std::string& configPath) {
  auto config = loadConfig(configPath);
  if (!config) return 2;
  runtime::Logger log(config->settings.log);
  const auto db = merchant::openMerchantDatabase(config->settings.storage);
  merchant::SqliteMerchantStore store(*db);
  protocol::SystemClock clock;
  protocol::SystemRandom random;
  merchant::Merchant role(std::move(config->merchant), store, clock, random);
  runtime::HttpClient client(config->gatewayClient);
  const auto s = merchant::captureOnce(role, store, client, config->gatewayUrl, config->captureBatch, log);
  printOut("captured {}, refused {}, unanswered {}\n", s.captured, s.refused, s.unanswered);
  return s.unanswered == 0 ? 0 : 1;
}

}  // namespace

void addMerchantCommand(CLI::App& root, int& exitCode) {
  CLI::App* m = root.add_subcommand("merchant", "the SET merchant service (shop page, HTTPS, SQLite); capture");
  auto config = std::make_shared<std::string>();
  m->add_option("--config", *config, "the merchant's TOML file (`setpay pki init` writes DIR/merchant.toml)");
  CLI::App* cap = m->add_subcommand("capture", "send CapReq for the approved, uncaptured authorizations");
  auto captureConfig = std::make_shared<std::string>();
  cap->add_option("--config", *captureConfig, "the merchant's TOML file")->required();
  cap->callback([captureConfig, &exitCode] { exitCode = capture(*captureConfig); });
  m->callback([m, config, &exitCode] {
    if (!m->get_subcommands().empty()) return;  // capture
    if (config->empty()) {
      printErr("setpay merchant: --config FILE is required (see setpay merchant --help)\n");
      exitCode = 2;
      return;
    }
    exitCode = runService(*config);
  });
}

}  // namespace setpay::cli
