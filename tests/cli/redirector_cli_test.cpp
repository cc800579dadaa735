// `setpay redirector open` and `setpay terminal open` without a wallet: the configuration errors (exit 2,
// file, line and key named), the default config path the desktop entry relies on ($XDG_CONFIG_HOME),
// a file that is not a wake-up and an unreachable wallet (exit 1, why). The end-to-end runs with a
// wallet are tests/services/redirector_e2e_test.cpp.
#include <gtest/gtest.h>

#include "cli/service_configs.hpp"
#include "tests/support/scratch.hpp"

namespace setpay::test_support {
namespace {

bool has(const CommandResult& r, const std::string& s) { return r.output.find(s) != std::string::npos; }

CommandResult setpay(const std::string& args, const std::string& env = "") {
  return captureCommand(env + " " + shellQuote(setpayBinary()) + " " + args + " 2>&1");
}

const char* const kWakeUp =
    "SET-Initiation-Type: Payment-Initiation\r\nSET-Version: 1.0\r\nSET-Brand: SETPAY\r\nSET-PurchAmt: 978 4250 -2\r\n"
    "SET-Payment-URL: https://127.0.0.1:9/set\r\n";

struct Home {
  Home() {
    cli::mintLoopbackTls(dir.path() / "tls", {"wallet"}, {"terminal"});
    cli::RedirectorConfigOptions o;
    o.walletPort = 9;  // discard: nothing listens on it on this machine's loopback
    cli::writeRedirectorConfig(dir.path(), o);
    writeFile(dir.path() / "wake.setpay", std::string(kWakeUp));
  }
  std::string config() const { return (dir.path() / "redirector.toml").string(); }
  std::string file(const std::string& name) const { return (dir.path() / name).string(); }
  TempDir dir{"setpay-redirector-cli"};
};

TEST(RedirectorCli, ConfigurationErrorsAreExitTwoAndNamed) {
  Home h;
  auto r = setpay("redirector open " + shellQuote(h.file("wake.setpay")) + " --config " + shellQuote(h.file("nope.toml")));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "nope.toml: no such configuration file")) << r.output;

  std::string text = readFile(h.config());
  writeFile(h.dir.path() / "bad.toml", text.replace(text.find("msisdn = \"+33600000001\""), 23, "msisdn = \"0600000001\""));
  r = setpay("redirector open " + shellQuote(h.file("wake.setpay")) + " --config " + shellQuote(h.file("bad.toml")));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "bad.toml:6: redirector.msisdn: not an E.164 number")) << r.output;

  writeFile(h.dir.path() / "unknown.toml", readFile(h.config()) + "\n[extra]\nkey = 1\n");
  r = setpay("redirector open " + shellQuote(h.file("wake.setpay")) + " --config " + shellQuote(h.file("unknown.toml")));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "extra: unknown key")) << r.output;
}

TEST(RedirectorCli, RelayWithNoWaitIsAUsageError) {
  Home h;
  const auto r = setpay("redirector --mode relay open " + shellQuote(h.file("wake.setpay")) + " --no-wait --config " + shellQuote(h.config()));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "--no-wait does not apply")) << r.output;
}

// `--config` before any subcommand belongs to gateway-proxy (as `setpay pki init`'s redirector-gw.toml is
// started): without --mode it is that mode, so the proxy's own configuration check answers.
TEST(RedirectorCli, ConfigWithoutModeIsTheGatewayProxy) {
  Home h;
  auto r = setpay("redirector --config " + shellQuote(h.file("nope.toml")));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "nope.toml: no such configuration file")) << r.output;
  r = setpay("redirector --mode direct --config " + shellQuote(h.file("nope.toml")));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "direct mode runs once per wake-up")) << r.output << " (an explicit --mode stays)";
}

TEST(RedirectorCli, WithoutConfigTheXdgPathIsUsed) {
  Home h;
  const auto r = setpay("redirector open " + shellQuote(h.file("wake.setpay")),
                        "XDG_CONFIG_HOME=" + shellQuote(h.dir.path().string()));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, h.dir.path().string() + "/setpay/redirector.toml: no such configuration file")) << r.output;
}

TEST(RedirectorCli, NotAWakeUpAndNoWalletAreExitOne) {
  Home h;
  writeFile(h.dir.path() / "page.html", std::string("<html>not a wake-up</html>"));
  auto r = setpay("redirector open " + shellQuote(h.file("page.html")) + " --config " + shellQuote(h.config()));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(has(r, "page.html is not a wake-up the wallet would accept")) << r.output;

  r = setpay("redirector open " + shellQuote(h.file("wake.setpay")) + " --config " + shellQuote(h.config()));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(has(r, "setpay redirector open: the wallet at https://127.0.0.1:9: connect: Connection refused")) << r.output;
  EXPECT_FALSE(has(r, "purchase ")) << r.output;

  r = setpay("redirector open " + shellQuote(h.file("missing.setpay")) + " --config " + shellQuote(h.config()));
  EXPECT_EQ(r.status, 1) << r.output;
}

TEST(RedirectorCli, TerminalOpenNeedsItsMsisdnAndWalletEndpoint) {
  Home h;
  cli::writeTerminalConfig(h.dir.path(), cli::TerminalConfigOptions{});  // no msisdn
  // The files terminal.toml names (pki init writes the real ones).
  std::filesystem::create_directories(h.dir.path() / "wallet");
  std::filesystem::create_directories(h.dir.path() / "root");
  writeFile(h.dir.path() / "wallet" / "channel-pub.pem", readFile(h.dir.path() / "redirector" / "pub.pem"));
  writeFile(h.dir.path() / "root" / "cert.pem", readFile(h.dir.path() / "tls" / "ca.pem"));
  const auto r = setpay("terminal open " + shellQuote(h.file("wake.setpay")) + " --config " + shellQuote(h.file("terminal.toml")));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "needs [terminal] msisdn and a [wallet_c] table")) << r.output;
}

}  // namespace
}  // namespace setpay::test_support
