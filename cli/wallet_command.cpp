// `setpay wallet --config F` runs the remote wallet service (wallet-server/service/); `setpay wallet
// enroll|enroll-sender|password|ceilings|show|history --config F` manage its accounts (keyed by MSISDN) in the same database,
// as the operator's HTTP API does (wallet-server/service/README.md).
// Exit codes: 0 ok (the service: drained after SIGTERM), 1 failed, 2 bad usage or configuration.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include <fmt/chrono.h>

#include "cli/commands.hpp"
#include "cli/files.hpp"
#include "cli/output.hpp"
#include "protocol/redirect/envelope.hpp"
#include "protocol/redirect/password.hpp"
#include "protocol/text/scrub.hpp"
#include "wallet-server/service/wallet_config.hpp"
#include "wallet-server/service/wallet_schema.hpp"
#include "wallet-server/service/wallet_service.hpp"
#include "wallet-server/service/wallet_store.hpp"

namespace setpay::cli {
namespace {

struct WalletArgs {
  std::string config, msisdn, terminalCert, senderId = "handset", bin, senderKey, passwordFile;
  bool clearPassword = false;
  std::vector<std::string> brands;
  int currency = 978, exponent = -2;
  std::optional<std::int64_t> perPurchase, day, month;
  std::optional<std::string> setPurchase, setDay, setMonth;  // `ceilings`: minor units or "none"
  std::size_t limit = 50;
};

std::optional<wallet::WalletServiceConfig> loadConfig(const std::string& path) {
  try {
    return wallet::loadWalletServiceConfig(path);
  } catch (const runtime::ConfigError& e) {
    printErr("setpay wallet: {}\n", e.what());
    return std::nullopt;
  }
}

std::optional<protocol::Msisdn> msisdnArg(const std::string& text) {
  auto m = protocol::Msisdn::parse(text);
  if (!m) printErr("setpay wallet: --msisdn {} is not an E.164 number (+ then 7..15 digits)\n", protocol::safeText(text));
  return m;
}

// A file named on the command line, or nothing after saying why ("setpay wallet <command>: …").
std::optional<std::string> fileArg(const std::string& path, const char* command, std::uintmax_t limit = maxReadFile) {
  try {
    return readFile(path, limit);
  } catch (const std::exception& e) {
    printErr("setpay wallet {}: {}\n", command, protocol::safeText(e.what()));
    return std::nullopt;
  }
}

// Runs `job` in one write transaction on the wallet's database.
int withStore(const std::string& configPath, const std::function<void(wallet::WalletStore&)>& job) {
  const auto config = loadConfig(configPath);
  if (!config) return 2;
  const auto db = wallet::openWalletDatabase(config->settings.storage);
  wallet::WalletStore store(*db);
  runtime::WriteTransaction tx(*db);
  try {
    job(store);
  } catch (const std::invalid_argument& e) {
    printErr("setpay wallet: {}\n", protocol::safeText(e.what()));
    return 1;
  }
  tx.commit();
  return 0;
}

std::string ceiling(const std::optional<std::int64_t>& v, const wallet::Account& a) {
  return v ? protocol::describe(protocol::CurrencyAmount{a.currency, *v, a.exp10}) : std::string("none");
}

void print(const wallet::Account& a) {
  std::string brands;
  for (const auto& b : a.brands) brands += (brands.empty() ? "" : ",") + protocol::safeText(b);
  printOut("{}  sender {}  terminal {}  brands {}  bin {}\n", a.msisdn.e164(), protocol::safeText(a.senderId),
           protocol::hex(a.terminalID).substr(0, 16), brands, a.bin);
  printOut("  ceilings: purchase {}  day {}  month {}\n", ceiling(a.ceilings.perPurchase, a), ceiling(a.ceilings.rollingDay, a),
           ceiling(a.ceilings.rollingMonth, a));
  printOut("  loyalty points {}\n", a.loyaltyPoints);
}

// `ceilings --day 5000|none`: absent keeps the ceiling, "none" clears it.
std::optional<std::int64_t> ceilingArg(const std::optional<std::string>& arg, const std::optional<std::int64_t>& current) {
  if (!arg) return current;
  if (*arg == "none") return std::nullopt;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(arg->data(), arg->data() + arg->size(), v);
  if (ec != std::errc() || end != arg->data() + arg->size())
    throw std::invalid_argument("a ceiling is minor units or \"none\", not " + *arg);
  return v;
}

std::string utc(protocol::TimePoint t) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(t));
}

void addAccountCommands(CLI::App& walletApp, int& exitCode) {
  auto args = std::make_shared<WalletArgs>();
  auto leaf = [&](const char* name, const char* summary) {
    CLI::App* c = walletApp.add_subcommand(name, summary);
    c->add_option("--config", args->config, "the wallet's TOML file")->required();
    c->add_option("--msisdn", args->msisdn, "the account's mobile number, E.164 (+33612345678)")->required();
    return c;
  };

  CLI::App* enroll = leaf("enroll", "create or update an account: terminal certificate, brands, BIN, ceilings");
  enroll->add_option("--terminal-cert", args->terminalCert,
                     "PEM certificate of the terminal: its key authenticates the TLS channel, e, and message c")
      ->required()
      ->check(CLI::ExistingFile);
  enroll->add_option("--sender-id", args->senderId, "message c Sender id allowed to sign for this MSISDN")->capture_default_str();
  enroll->add_option("--brand", args->brands, "BrandID the client holds (repeat; preferred first)")->required();
  enroll->add_option("--bin", args->bin, "the card's 6-digit BIN (sent in PInitReq)")->required();
  enroll->add_option("--currency", args->currency, "ISO 4217 numeric currency of the ceilings")->capture_default_str()->check(CLI::Range(1, 999));
  enroll->add_option("--exponent", args->exponent, "power of ten of the minor unit")->capture_default_str()->check(CLI::Range(-12, 12));
  enroll->add_option("--ceiling-purchase", args->perPurchase, "largest single purchase, minor units")->check(CLI::NonNegativeNumber);
  enroll->add_option("--ceiling-day", args->day, "approved total over the last 24 h, minor units")->check(CLI::NonNegativeNumber);
  enroll->add_option("--ceiling-month", args->month, "approved total over the last 30 days, minor units")->check(CLI::NonNegativeNumber);
  enroll->callback([args, &exitCode] {
    const auto msisdn = msisdnArg(args->msisdn);
    if (!msisdn) {
      exitCode = 2;
      return;
    }
    const auto pem = fileArg(args->terminalCert, "enroll");
    if (!pem) {
      exitCode = 1;
      return;
    }
    exitCode = withStore(args->config, [&](wallet::WalletStore& store) {
      wallet::Account a{*msisdn, args->senderId, *pem, {}, args->brands, args->bin, args->currency, args->exponent,
                        wallet::Ceilings{args->perPurchase, args->day, args->month}, 0,
                        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
      store.enroll(a);
      print(*store.find(*msisdn));
    });
  });

  CLI::App* ceilings = leaf("ceilings", "set or clear an account's ceilings (the others are kept)");
  ceilings->add_option("--purchase", args->setPurchase, "largest single purchase: minor units, or none");
  ceilings->add_option("--day", args->setDay, "approved total over the last 24 h: minor units, or none");
  ceilings->add_option("--month", args->setMonth, "approved total over the last 30 days: minor units, or none");
  ceilings->callback([args, &exitCode] {
    const auto msisdn = msisdnArg(args->msisdn);
    if (!msisdn) {
      exitCode = 2;
      return;
    }
    exitCode = withStore(args->config, [&](wallet::WalletStore& store) {
      const auto a = store.find(*msisdn);
      if (!a) throw std::invalid_argument("no account for " + msisdn->e164());
      store.setCeilings(*msisdn, wallet::Ceilings{ceilingArg(args->setPurchase, a->ceilings.perPurchase),
                                                  ceilingArg(args->setDay, a->ceilings.rollingDay),
                                                  ceilingArg(args->setMonth, a->ceilings.rollingMonth)});
      print(*store.find(*msisdn));
    });
  });

  CLI::App* sender = leaf("enroll-sender", "a further sender of message c for an account: a redirector's public key");
  sender->add_option("--sender-id", args->senderId, "the Sender id the redirector puts in c (its `sender_id`)")->required();
  sender->add_option("--key", args->senderKey, "its PEM public key or certificate (ECDSA P-256 or RSA >= 2048)")
      ->required()
      ->check(CLI::ExistingFile);
  sender->callback([args, &exitCode] {
    const auto msisdn = msisdnArg(args->msisdn);
    if (!msisdn) {
      exitCode = 2;
      return;
    }
    const auto pem = fileArg(args->senderKey, "enroll-sender");
    if (!pem) {
      exitCode = 1;
      return;
    }
    exitCode = withStore(args->config, [&](wallet::WalletStore& store) {
      store.enrollSender(*msisdn, args->senderId, *pem);
      printOut("{}  sender {} enrolled\n", msisdn->e164(), protocol::safeText(args->senderId));
    });
  });

  CLI::App* password = leaf("password", "set (or --clear) the account's wallet password; every message c must then carry it");
  password->add_option("--password-file", args->passwordFile, "the password: the file's first line (kept only as a scrypt hash)")
      ->check(CLI::ExistingFile);
  password->add_flag("--clear", args->clearPassword, "remove the password");
  password->callback([args, &exitCode] {
    const auto msisdn = msisdnArg(args->msisdn);
    if (!msisdn) {
      exitCode = 2;
      return;
    }
    if (args->clearPassword == !args->passwordFile.empty()) usageError("give exactly one of --password-file and --clear");
    std::optional<std::string> record;
    if (!args->clearPassword) {
      const auto file = fileArg(args->passwordFile, "password", 4096);
      if (!file) {
        exitCode = 1;
        return;
      }
      std::string text = file->substr(0, file->find('\n'));
      if (!text.empty() && text.back() == '\r') text.pop_back();
      // The envelope's rule (REDIRECT-ENVELOPE.md): 1..256 octets, no control characters (its UTF-8 is
      // checked where c is built: a password c could not carry is refused there).
      if (text.empty() || text.size() > protocol::redirect_limits::passwordMax ||
          std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
        printErr("setpay wallet password: the password must be 1..256 octets of UTF-8 without control characters\n");
        exitCode = 1;
        return;
      }
      protocol::SystemRandom random;
      record = protocol::hashWalletPassword(text, random);
    }
    exitCode = withStore(args->config, [&](wallet::WalletStore& store) {
      store.setPasswordHash(*msisdn, record);
      printOut("{}  wallet password {}\n", msisdn->e164(), record ? "set (scrypt)" : "cleared");
    });
  });

  CLI::App* show = leaf("show", "one account: terminal, brands, ceilings, loyalty points, further senders, password");
  show->callback([args, &exitCode] {
    const auto msisdn = msisdnArg(args->msisdn);
    if (!msisdn) {
      exitCode = 2;
      return;
    }
    exitCode = withStore(args->config, [&](wallet::WalletStore& store) {
      const auto a = store.find(*msisdn);
      if (!a) throw std::invalid_argument("no account for " + msisdn->e164());
      print(*a);
      for (const auto& id : store.senders(*msisdn)) printOut("  sender {} (enroll-sender)\n", protocol::safeText(id));
      printOut("  wallet password {}\n", store.passwordHash(*msisdn) ? "set" : "none");
    });
  });

  CLI::App* history = leaf("history", "an account's purchases, newest first");
  history->add_option("--limit", args->limit, "at most this many")->capture_default_str()->check(CLI::Range(1, 100000));
  history->callback([args, &exitCode] {
    const auto msisdn = msisdnArg(args->msisdn);
    if (!msisdn) {
      exitCode = 2;
      return;
    }
    exitCode = withStore(args->config, [&](wallet::WalletStore& store) {
      if (!store.find(*msisdn)) throw std::invalid_argument("no account for " + msisdn->e164());
      for (const auto& h : store.history(*msisdn, args->limit))
        printOut("{}  {}  {}  {}  approval {}  points {}{}\n", utc(h.at), protocol::safeText(h.merchant),
                 protocol::describe(h.amount), h.outcome, h.approvalCode ? protocol::safeText(*h.approvalCode) : "-", h.points,
                 h.reason ? "  (" + protocol::safeText(*h.reason) + ")" : "");
    });
  });
}

int runService(const std::string& configPath) {
  auto config = loadConfig(configPath);
  if (!config) return 2;
  wallet::WalletService service(std::move(*config));
  service.start();
  return service.run() ? 0 : 1;
}

}  // namespace

void addWalletCommand(CLI::App& root, int& exitCode) {
  CLI::App* w = root.add_subcommand("wallet", "the remote wallet service (message c, the terminals' channel); accounts");
  auto config = std::make_shared<std::string>();
  w->add_option("--config", *config, "the wallet's TOML file");
  addAccountCommands(*w, exitCode);
  w->footer(
      "The operator's HTTP API (TLS client certificate of [api] operator_subject; 401 without one, 403 another):\n"
      "  GET /accounts?msisdn=E164     the account and its last 50 purchases (JSON)\n"
      "  POST /accounts                enroll, JSON {msisdn, terminal_cert, brands, bin[, sender_id, currency,\n"
      "                                exp10, ceiling_purchase, ceiling_day, ceiling_month]}: 201, 409 enrolled, 400\n"
      "  PATCH /accounts?msisdn=E164   ceilings, JSON {ceiling_purchase|ceiling_day|ceiling_month: N or null}: 200, 404, 400\n"
      "Exit codes: 0 ok, 1 failed, 2 bad usage or configuration.");
  w->callback([w, config, &exitCode] {
    if (!w->get_subcommands().empty()) return;  // enroll / show / history
    if (config->empty()) {
      printErr("setpay wallet: --config FILE is required (see setpay wallet --help)\n");
      exitCode = 2;
      return;
    }
    exitCode = runService(*config);
  });
}

}  // namespace setpay::cli
