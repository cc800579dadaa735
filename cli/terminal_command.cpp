// `setpay terminal --config F`: the mobile terminal process (terminal/). Keeps a TLS WebSocket open to
// the wallet (terminal/wallet_link.hpp), re-connecting when it drops; for each d: shows the purchase
// (merchant name from its verified certificate, amount, description, date), asks for the PIN, drives
// the card through pcscd, answers e; shows each f. The PIN comes from the TTY with echo off, or one
// line per prompt from --pin-fd (tests). Exit codes: 0 after --purchases confirmations, 1 failed, 2 bad
// usage or configuration. `setpay terminal open FILE --config F` sends a wake-up as message c (on-terminal
// mode) and follows the purchase: see runOpen.
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <termios.h>
#include <unistd.h>
#include <fcntl.h>

#include <fmt/chrono.h>

#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/redirector_command.hpp"
#include "pcsc/reader.hpp"
#include "protocol/mobile/codec.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/pki/pem.hpp"
#include "protocol/text/scrub.hpp"
#include "runtime/config.hpp"
#include "terminal/terminal.hpp"
#include "terminal/wallet_link.hpp"

namespace setpay::cli {
namespace {

namespace fs = std::filesystem;
namespace mobile = protocol::mobile;

struct TerminalArgs {
  std::string config;
  int pinFd = -1;
  unsigned purchases = 0;  // 0: run until stopped
};

struct TerminalSettings {
  terminal::WalletLinkOptions link;
  std::optional<fs::path> walletPortFile;
  terminal::TerminalConfig terminal;
  terminal::ReaderChoice reader;
  std::chrono::milliseconds reconnect{1000};
  // `setpay terminal open` (on-terminal mode): [terminal] msisdn, sender_id; [wallet_c].
  std::optional<protocol::Msisdn> msisdn;
  std::string senderId = "handset";
  std::optional<redirector::WalletTarget> walletC;
  std::optional<std::string> walletPassword;  // [terminal] wallet_password_file
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

protocol::ossl::PKey publicKeyFromPem(const std::string& pem) {
  protocol::ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  protocol::ossl::PKey key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) throw std::runtime_error("not a PEM public key");
  return key;
}

TerminalSettings loadSettings(const fs::path& path) {
  const runtime::ConfigFile file = runtime::ConfigFile::load(path);
  TerminalSettings s;
  const runtime::ConfigTable w = file.root().table("wallet");
  s.link.host = w.string("host", "127.0.0.1");
  if (w.has("port_file"))
    s.walletPortFile = w.existingFile("port_file");
  else
    s.link.port = static_cast<std::uint16_t>(w.integer("port", 1, 65535));
  s.link.caFile = w.existingFile("ca_file");
  const fs::path walletKey = w.existingFile("channel_key");
  try {
    s.terminal.walletKey = publicKeyFromPem(slurp(walletKey));
  } catch (const std::exception& e) {
    w.fail("channel_key", walletKey.string() + ": " + e.what());
  }
  const runtime::ConfigTable t = file.root().table("terminal");
  s.link.certificate = t.existingFile("certificate");
  s.link.privateKey = t.existingFile("private_key");
  try {
    s.terminal.channelKey = protocol::pki::privateKeyFromPem(slurp(s.link.privateKey));
  } catch (const std::exception& e) {
    t.fail("private_key", s.link.privateKey.string() + ": " + e.what());
  }
  const fs::path root = t.existingFile("root");
  try {
    s.terminal.trust = protocol::pki::TrustAnchors{protocol::ossl::certFromPem(slurp(root)), {}, {}};
  } catch (const std::exception& e) {
    t.fail("root", root.string() + ": " + e.what());
  }
  if (t.has("reader")) s.reader.name = t.string("reader");
  s.reader.cardWait = std::chrono::milliseconds(t.integer("card_wait_ms", 0, 600000, 5000));
  s.terminal.allowCardData = t.boolean("allow_card_data", false);
  s.reconnect = std::chrono::milliseconds(t.integer("reconnect_ms", 10, 600000, 1000));
  if (t.has("msisdn")) {
    s.msisdn = protocol::Msisdn::parse(t.string("msisdn"));
    if (!s.msisdn) t.fail("msisdn", "not an E.164 number (+ then 7..15 digits)");
  }
  s.senderId = t.string("sender_id", "handset");
  if (!protocol::validSenderId(s.senderId)) t.fail("sender_id", "expected [A-Za-z0-9][A-Za-z0-9._:+@-]{0,127}");
  if (const auto f = t.optionalExistingFile("wallet_password_file")) s.walletPassword = redirector::readWalletPassword(*f);
  if (const auto c = file.root().optionalTable("wallet_c")) s.walletC = redirector::readWalletTarget(*c);
  file.finish();
  return s;
}

// One line from `fd` (no echo involved), or nullopt at end of input: the shopper cancels.
std::optional<std::string> lineFrom(int fd) {
  std::string line;
  char c = 0;
  while (::read(fd, &c, 1) == 1) {
    if (c == '\n') return line;
    line += c;
  }
  if (line.empty()) return std::nullopt;
  return line;
}

std::optional<std::string> pinFromTty() {
  const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  termios old{};
  const bool isTty = ::tcgetattr(fd, &old) == 0;
  if (isTty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  const auto pin = lineFrom(fd);
  if (isTty) ::tcsetattr(fd, TCSAFLUSH, &old);
  ::close(fd);
  writeOut("\n");
  return pin;
}

void show(const terminal::PurchaseDisplay& d) {
  printOut("d: {}{}  {}  \"{}\"  {}  brand {}\n", protocol::safeText(d.merchantName),
           d.merchantCity.empty() ? "" : " (" + protocol::safeText(d.merchantCity) + ")", d.amountText, d.orderDescription,
           fmt::format("{:%Y-%m-%d %H:%M:%S}Z", std::chrono::floor<std::chrono::seconds>(d.date)), protocol::safeText(d.brand));
}

void show(const mobile::PurchaseConfirmation& f) {
  std::string line = fmt::format("f: {}  {}  {}", mobile::name(f.outcome), protocol::safeText(f.merchantName),
                                 protocol::describe(f.purchAmt));
  if (f.authCode) line += fmt::format("  auth {}", protocol::name(*f.authCode));
  if (f.approvalCode) line += "  approval " + protocol::safeText(*f.approvalCode);
  if (f.errorCode) line += fmt::format("  error {}", protocol::name(*f.errorCode));
  if (f.walletReason) line += fmt::format("  wallet {}", mobile::name(*f.walletReason));
  if (f.detail) line += "  (" + protocol::safeText(*f.detail) + ")";
  printOut("{}\n", line);
}

// d → the display, the PIN, the card through pcscd → e. A d that is not authentic is not answered.
std::optional<protocol::Bytes> answerD(terminal::Terminal& t, const protocol::Bytes& d, const TerminalSettings& s,
                                       const TerminalArgs& a) {
  terminal::ReviewedRequest reviewed;
  try {
    reviewed = t.review(d);
  } catch (const protocol::ProtocolError& e) {
    printErr("setpay terminal: d refused, not answered: {}\n", protocol::safeText(e.what()));
    return std::nullopt;
  }
  if (reviewed.display) show(*reviewed.display);
  const terminal::PinPrompt prompt = [&a](const terminal::PinRequest& r) -> std::optional<std::string> {
    printOut("PIN ({} tries left{}): ", r.triesLeft, r.afterWrongPin ? ", wrong PIN" : "");
    if (a.pinFd >= 0) {
      auto pin = lineFrom(a.pinFd);
      writeOut("\n");
      return pin;
    }
    return pinFromTty();
  };
  std::unique_ptr<pcsc::Context> context;
  try {
    context = std::make_unique<pcsc::Context>();
  } catch (const std::exception& e) {
    printErr("setpay terminal: no PC/SC service: {}\n", protocol::safeText(e.what()));
    return t.refuse(reviewed, mobile::RefusalReason::noReader, std::string("no PC/SC service"));
  }
  return t.answer(reviewed, *context, s.reader, prompt);
}

int runTerminal(const TerminalArgs& a) {
  TerminalSettings s;
  try {
    s = loadSettings(a.config);
  } catch (const runtime::ConfigError& e) {
    printErr("setpay terminal: {}\n", e.what());
    return 2;
  }
  protocol::SystemClock clock;
  protocol::SystemRandom random;
  terminal::Terminal t(std::move(s.terminal), clock, random);
  unsigned confirmations = 0;
  for (;;) {
    if (s.walletPortFile) s.link.port = static_cast<std::uint16_t>(std::stoi(slurp(*s.walletPortFile)));
    terminal::WalletLink link(s.link);
    try {
      link.connect();
    } catch (const std::exception& e) {
      printErr("setpay terminal: {}; retrying\n", protocol::safeText(e.what()));
      std::this_thread::sleep_for(s.reconnect);
      continue;
    }
    printErr("setpay terminal: connected to the wallet at {}:{}\n", s.link.host, s.link.port);
    while (auto message = link.read()) {
      std::string_view kind;
      try {
        kind = mobile::kindOf(mobile::decodeMessage(*message).content);
      } catch (const std::exception& e) {
        printErr("setpay terminal: undecodable message from the wallet: {}\n", protocol::safeText(e.what()));
        continue;
      }
      if (kind == "d") {
        if (auto e = answerD(t, *message, s, a)) {
          try {
            link.write(*e);
          } catch (const std::exception& ex) {
            printErr("setpay terminal: {}\n", protocol::safeText(ex.what()));
            break;
          }
        }
      } else if (kind == "f") {
        try {
          show(t.confirmation(*message));
        } catch (const protocol::ProtocolError& e) {
          printErr("setpay terminal: f refused: {}\n", protocol::safeText(e.what()));
          continue;
        }
        if (a.purchases > 0 && ++confirmations >= a.purchases) {
          link.close();
          return 0;
        }
      }
    }
    printErr("setpay terminal: the wallet closed the connection; reconnecting\n");
    std::this_thread::sleep_for(s.reconnect);
  }
}

// On-terminal mode (seed 004 claim 6): the handset sends c itself, for its own MSISDN, signed with the
// key its certificate carries (the one enrolled with `setpay wallet enroll --terminal-cert`).
int runOpen(const std::string& config, const std::string& file, bool noWait) {
  TerminalSettings s;
  try {
    s = loadSettings(config);
  } catch (const runtime::ConfigError& e) {
    printErr("setpay terminal open: {}\n", e.what());
    return 2;
  }
  if (!s.msisdn || !s.walletC) {
    printErr("setpay terminal open: {} needs [terminal] msisdn and a [wallet_c] table (the wallet's HTTPS endpoint)\n",
             protocol::safeText(config));
    return 2;
  }
  redirector::SenderIdentity id{protocol::Sender{protocol::SenderKind::onTerminal, s.senderId}, std::move(s.terminal.channelKey),
                                s.walletPassword};
  return sendWakeUp("setpay terminal open", file, *s.msisdn, id, *s.walletC, !noWait, std::chrono::seconds(300),
                    std::chrono::milliseconds(250));
}

}  // namespace

void addTerminalCommand(CLI::App& root, int& exitCode) {
  auto a = std::make_shared<TerminalArgs>();
  CLI::App* cmd = root.add_subcommand("terminal", "the mobile terminal: wallet channel, PIN, card reader through pcscd");
  cmd->add_option("--config", a->config, "the terminal's TOML file ([wallet] host, port|port_file, ca_file, channel_key; "
                                         "[terminal] certificate, private_key, root, reader, card_wait_ms, allow_card_data, "
                                         "msisdn, sender_id; [wallet_c] host, port|port_file, ca_file)")
      ->check(CLI::ExistingFile);
  auto open = std::make_shared<std::pair<std::string, bool>>();
  auto openConfig = std::make_shared<std::string>();
  CLI::App* o = cmd->add_subcommand("open", "on-terminal mode: send the wake-up in FILE to the wallet as message c, "
                                            "signed with this terminal's key for its own MSISDN");
  o->add_option("FILE", open->first, "the wake-up (application/set-payment-initiation) as the merchant sent it")->required();
  o->add_option("--config", *openConfig,
                "the terminal's TOML file (as for `setpay terminal`); default $XDG_CONFIG_HOME/setpay/terminal.toml");
  o->add_flag("--no-wait", open->second, "print the purchase id and return without following the purchase");
  o->callback([open, openConfig, &exitCode] {
    const std::string config = openConfig->empty() ? redirector::defaultConfigPath("terminal.toml").string() : *openConfig;
    exitCode = runOpen(config, open->first, open->second);
  });
  cmd->add_option("--pin-fd", a->pinFd, "read each PIN as one line from this file descriptor (tests) instead of the TTY")
      ->check(CLI::Range(0, 1023));
  cmd->add_option("--purchases", a->purchases, "exit 0 after this many confirmations (f); default: run until stopped");
  cmd->callback([cmd, a, &exitCode] {
    if (!cmd->get_subcommands().empty()) return;  // open
    if (a->config.empty()) {
      printErr("setpay terminal: --config FILE is required (see setpay terminal --help)\n");
      exitCode = 2;
      return;
    }
    exitCode = runTerminal(*a);
  });
}

}  // namespace setpay::cli
