// The mobile channel's lifetime (wallet-server/service/mobile_channel.cpp): destroying the channel while a
// terminal is still connected, and does not answer the close frame, frees everything the channel held.
// Sessions once owned their channel, and a session whose close was still pending when the io threads
// stopped kept the channel, its io_context and itself alive: a leak that LeakSanitizer reported at the
// wallet's exit (stop 17's CI run).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>

#include "cli/service_configs.hpp"
#include "runtime/http.hpp"
#include "runtime/log.hpp"
#include "terminal/wallet_link.hpp"
#include "tests/support/scratch.hpp"
#include "wallet-server/service/mobile_channel.hpp"

namespace {

using namespace std::chrono_literals;
using namespace setpay;

TEST(MobileChannel, DestroyedWithATerminalThatIgnoresTheCloseFrameLeavesNothingBehind) {
  test_support::TempDir dir{"setpay-mobile-channel"};
  cli::mintLoopbackTls(dir.path(), {"wallet"}, {"terminal"});
  wallet::MobileChannelOptions options;
  options.tls = {dir.path() / "wallet.pem", dir.path() / "wallet-key.pem", runtime::ClientCertificates::required,
                 dir.path() / "ca.pem"};
  runtime::Logger log(runtime::LogOptions{"wallet", runtime::LogFormat::human, runtime::LogLevel::warn,
                                          dir.path() / "wallet.log"});

  // The handlers live as long as the channel's insides: this token tells whether those were freed.
  auto token = std::make_shared<int>(0);
  const std::weak_ptr<int> channelInsides = token;
  std::promise<void> connected;
  auto channel = std::make_unique<wallet::MobileChannel>(
      options, log,
      wallet::MobileChannel::Handlers{[token](const protocol::Bytes&) { return true; },
                                      [token, &connected](const protocol::Bytes&) { connected.set_value(); },
                                      [token](const protocol::Bytes&, protocol::Bytes) {}});
  token.reset();
  const auto port = channel->start();

  terminal::WalletLink link({"127.0.0.1", port, dir.path() / "ca.pem", dir.path() / "terminal-client.pem",
                             dir.path() / "terminal-client-key.pem"});
  link.connect();
  ASSERT_EQ(connected.get_future().wait_for(10s), std::future_status::ready);
  ASSERT_EQ(channel->connections(), 1u);

  // The terminal never reads, so the wallet's closing handshake is still waiting when stop() gives up.
  channel.reset();
  EXPECT_TRUE(channelInsides.expired()) << "the channel's session and io_context outlived it";
}

}  // namespace
