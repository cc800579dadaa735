// `setpay gateway --config F` runs the payment gateway service (gateway/service/); `setpay gateway
// accounts …` manages the simulated issuer's accounts and opposition list in the same database.
// Exit codes: 0 ok (the service: drained after SIGTERM), 1 failed, 2 bad usage or configuration.
#include <functional>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "gateway/service/gateway_schema.hpp"
#include "gateway/service/gateway_service.hpp"
#include "gateway/service/sqlite_issuer.hpp"
#include "protocol/messages/types.hpp"
#include "protocol/pki/cardholder.hpp"

namespace setpay::cli {
namespace {

struct AccountArgs {
  std::string config, pan, expiry;
  std::int64_t balance = 0, limit = 1'000'000;
  int currency = 978, exponent = -2;
};

// The configuration, or nullopt after saying why on stderr (exit 2: a configuration error).
std::optional<gateway::GatewayServiceConfig> loadConfig(const std::string& configPath) {
  try {
    return gateway::loadGatewayServiceConfig(configPath);
  } catch (const runtime::ConfigError& e) {
    printErr("setpay gateway: {}\n", e.what());
    return std::nullopt;
  }
}

// Runs `job` in one write transaction on the gateway's database.
int withIssuer(const std::string& configPath, const std::function<void(gateway::SqliteIssuer&)>& job) {
  const auto config = loadConfig(configPath);
  if (!config) return 2;
  const auto db = gateway::openGatewayDatabase(config->settings.storage);
  gateway::SqliteIssuer issuer(*db, config->panHashKey);
  runtime::WriteTransaction tx(*db);
  try {
    job(issuer);
  } catch (const std::invalid_argument& e) {
    printErr("setpay gateway accounts: {}\n", e.what());
    return 1;
  }
  tx.commit();
  return 0;
}

void print(const gateway::AccountView& a) {
  const auto& s = a.state;
  const protocol::CurrencyAmount available{s.balance.currency, s.balance.amount - s.held, s.balance.amtExp10};
  printOut("{}  balance {}  available {}  limit {}  expiry {}  {}  holds {} captured {}\n", a.panMasked,
           protocol::describe(s.balance), protocol::describe(available), protocol::describe(s.perTransactionLimit),
           s.cardExpiry ? *s.cardExpiry : "-", s.blocked ? "BLOCKED" : "open", a.holds, a.captures);
}

CLI::Option* panOption(CLI::App* app, AccountArgs& a) {
  return app->add_option("--pan", a.pan, "card number (stored only as an HMAC and masked)")->required();
}

void addAccounts(CLI::App& gatewayApp, int& exitCode) {
  CLI::App* accounts = gatewayApp.add_subcommand("accounts", "the simulated issuer's accounts and blocked cards");
  accounts->require_subcommand(1);
  auto args = std::make_shared<AccountArgs>();
  auto leaf = [&](const char* name, const char* summary) {
    CLI::App* c = accounts->add_subcommand(name, summary);
    c->add_option("--config", args->config, "the gateway's TOML file")->required();
    return c;
  };

  CLI::App* add = leaf("add", "open an account for a card");
  panOption(add, *args);
  add->add_option("--balance", args->balance, "opening balance in minor units (e.g. cents)")->required();
  add->add_option("--limit", args->limit, "per-transaction limit in minor units")->capture_default_str();
  add->add_option("--currency", args->currency, "ISO 4217 numeric currency")->capture_default_str()->check(CLI::Range(1, 999));
  add->add_option("--exponent", args->exponent, "power of ten of the minor unit")->capture_default_str()->check(CLI::Range(-12, 12));
  add->add_option("--expiry", args->expiry, "card expiry YYYYMM the issuer checks (optional)");
  add->callback([args, &exitCode] {
    if (!protocol::pki::luhnValid(args->pan)) {
      printErr("setpay gateway accounts add: --pan {} is not a valid card number\n", protocol::maskPan(args->pan));
      exitCode = 2;
      return;
    }
    if (!args->expiry.empty() && !protocol::pki::parseCardExpiry(args->expiry)) {
      printErr("setpay gateway accounts add: --expiry must be YYYYMM\n");
      exitCode = 2;
      return;
    }
    exitCode = withIssuer(args->config, [&](gateway::SqliteIssuer& issuer) {
      const protocol::CurrencyAmount balance{args->currency, args->balance, args->exponent};
      const protocol::CurrencyAmount limit{args->currency, args->limit, args->exponent};
      issuer.openAccount(args->pan, balance, limit,
                         args->expiry.empty() ? std::nullopt : std::optional<std::string>(args->expiry));
      print(*issuer.find(args->pan));
    });
  });

  CLI::App* list = leaf("list", "every account, PANs masked");
  list->callback([args, &exitCode] {
    exitCode = withIssuer(args->config, [](gateway::SqliteIssuer& issuer) {
      for (const auto& a : issuer.list()) print(a);
    });
  });

  CLI::App* show = leaf("show", "one account");
  panOption(show, *args);
  show->callback([args, &exitCode] {
    exitCode = withIssuer(args->config, [&](gateway::SqliteIssuer& issuer) {
      const auto a = issuer.find(args->pan);
      if (!a) throw std::invalid_argument("no account for " + protocol::maskPan(args->pan));
      print(*a);
    });
  });

  CLI::App* setBalance = leaf("set-balance", "set an account's balance (minor units)");
  panOption(setBalance, *args);
  setBalance->add_option("--balance", args->balance, "new balance in minor units")->required();
  setBalance->callback([args, &exitCode] {
    exitCode = withIssuer(args->config, [&](gateway::SqliteIssuer& issuer) {
      issuer.setBalance(args->pan, args->balance);
      print(*issuer.find(args->pan));
    });
  });

  for (const bool block : {true, false}) {
    CLI::App* c = leaf(block ? "block" : "unblock", block ? "put a card on the opposition list" : "take a card off it");
    panOption(c, *args);
    c->callback([args, &exitCode, block] {
      exitCode = withIssuer(args->config, [&](gateway::SqliteIssuer& issuer) {
        issuer.setBlocked(args->pan, block);
        print(*issuer.find(args->pan));
      });
    });
  }
}

int runService(const std::string& configPath) {
  auto config = loadConfig(configPath);
  if (!config) return 2;
  gateway::GatewayService service(std::move(*config));
  service.start();
  return service.run() ? 0 : 1;
}

}  // namespace

void addGatewayCommand(CLI::App& root, int& exitCode) {
  CLI::App* g = root.add_subcommand("gateway", "the SET payment gateway service (HTTPS, SQLite); accounts");
  auto config = std::make_shared<std::string>();
  g->add_option("--config", *config, "the gateway's TOML file (`setpay pki init` writes DIR/gateway.toml)");
  addAccounts(*g, exitCode);
  g->callback([g, config, &exitCode] {
    if (!g->get_subcommands().empty()) return;  // accounts …
    if (config->empty()) {
      printErr("setpay gateway: --config FILE is required (see setpay gateway --help)\n");
      exitCode = 2;
      return;
    }
    exitCode = runService(*config);
  });
}

}  // namespace setpay::cli
