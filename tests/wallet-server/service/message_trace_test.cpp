// [trace] messages_dir (wallet-server/service/message_trace.hpp, wallet_config.cpp): accepted with
// sealed-pi, refused with card-data (e would put the card data on disk) and when the directory is
// missing; each message written as DIR/<purchase>.<kind>.der, 0600, never through a symlink.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "cli/service_configs.hpp"
#include "runtime/config.hpp"
#include "tests/support/scratch.hpp"
#include "wallet-server/service/message_trace.hpp"
#include "wallet-server/service/wallet_config.hpp"

namespace {

namespace fs = std::filesystem;
using namespace setpay;
using test_support::TempDir;

// A hierarchy with its service configs, as `setpay pki init` writes it.
struct Home {
  TempDir tmp{"setpay-wallet-trace"};
  fs::path dir = tmp.path() / "pki";
  protocol::AlgorithmProfile profile = protocol::AlgorithmProfile::make(protocol::ProfileId::modern);
  Home() {
    const auto r = test_support::captureCommand(test_support::shellQuote(test_support::setpayBinary()) + " pki init " +
                                                test_support::shellQuote(dir.string()) + " 2>&1");
    if (r.status != 0) throw std::runtime_error("pki init: " + r.output);
  }
  std::string configError(const cli::WalletConfigOptions& o) const {
    cli::writeWalletConfig(dir, profile, o);
    try {
      (void)wallet::loadWalletServiceConfig(dir / "wallet.toml");
    } catch (const runtime::ConfigError& e) {
      return e.what();
    }
    return "";
  }
};

TEST(WalletTraceConfig, SealedPiAcceptsAnExistingDirectory) {
  Home h;
  fs::create_directories(h.dir / "trace");
  cli::WalletConfigOptions o;
  o.traceDir = (h.dir / "trace").string();
  cli::writeWalletConfig(h.dir, h.profile, o);
  const auto c = wallet::loadWalletServiceConfig(h.dir / "wallet.toml");
  ASSERT_TRUE(c.traceDir.has_value());
  EXPECT_EQ(fs::canonical(*c.traceDir), fs::canonical(h.dir / "trace"));
  cli::writeWalletConfig(h.dir, h.profile, {});
  EXPECT_FALSE(wallet::loadWalletServiceConfig(h.dir / "wallet.toml").traceDir.has_value()) << "off unless configured";
}

TEST(WalletTraceConfig, CardDataModeAndAMissingDirectoryAreRefused) {
  Home h;
  fs::create_directories(h.dir / "trace");
  cli::WalletConfigOptions o;
  o.traceDir = (h.dir / "trace").string();
  o.cardMode = "card-data";
  const std::string cardData = h.configError(o);
  EXPECT_NE(cardData.find("trace.messages_dir: not with [mobile] card_mode = \"card-data\": e carries the PAN and the PAN secret"),
            std::string::npos)
      << cardData;
  o.cardMode = "sealed-pi";
  o.traceDir = (h.dir / "nowhere").string();
  const std::string missing = h.configError(o);
  EXPECT_NE(missing.find("trace.messages_dir: no writable directory"), std::string::npos) << missing;
}

TEST(MessageTrace, WritesEachMessageOwnerOnlyAndNeverThroughASymlink) {
  TempDir tmp("setpay-message-trace");
  runtime::Logger log(runtime::LogOptions{"wallet", runtime::LogFormat::human, runtime::LogLevel::info, tmp.path() / "log"});
  const wallet::MessageTrace trace(tmp.path(), log);
  const protocol::Bytes d{0x30, 0x03, 0x02, 0x01, 0x07};
  trace.record("abcd", "d", d);
  EXPECT_EQ(test_support::readFile(tmp.path() / "abcd.d.der"), protocol::toString(d));
  struct stat st {};
  ASSERT_EQ(::stat((tmp.path() / "abcd.d.der").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // A repeat (d sent again on a reconnection) replaces the file.
  trace.record("abcd", "d", protocol::Bytes{0x05, 0x00});
  EXPECT_EQ(test_support::readFile(tmp.path() / "abcd.d.der"), std::string("\x05\x00", 2));
  // A symlink planted in its place is not followed: nothing written there, a warning logged.
  fs::create_symlink(tmp.path() / "elsewhere", tmp.path() / "abcd.e.der");
  trace.record("abcd", "e", d);
  EXPECT_FALSE(fs::exists(tmp.path() / "elsewhere"));
  EXPECT_NE(test_support::readFile(tmp.path() / "log").find("trace-failed"), std::string::npos);
  // Not configured: nothing at all.
  const wallet::MessageTrace off(std::nullopt, log);
  off.record("ef01", "f", d);
  EXPECT_FALSE(fs::exists(tmp.path() / "ef01.f.der"));
}

}  // namespace
