// The wallet end to end with real processes: `setpay gateway`, `setpay wallet`, `setpay terminal`,
// `setpay card` in a vpcd slot of the private pcscd (scripts/with-virtual-pcsc.sh), and a merchant.
// The merchant is a TEST FIXTURE (MerchantFixture): merchant::Merchant behind runtime's HTTPS server in
// this process, standing in for `setpay merchant` until that service lands on main. The test process
// also plays the redirector: it signs message c with the key enrolled for the MSISDN.
#pragma once

#include <sys/types.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "merchant/merchant.hpp"
#include "runtime/http_client.hpp"
#include "runtime/http_server.hpp"
#include "runtime/log.hpp"
#include "runtime/metrics.hpp"
#include "runtime/work_queue.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "tests/services/service_fixture.hpp"

namespace setpay::services_test {

// A child process, stdout and stderr to `log`, stdin from `stdinFd` (or /dev/null). Stopped by PID.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const fs::path& log, int stdinFd = -1);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  pid_t pid() const { return pid_; }
  bool running();
  int stop();  // SIGTERM, ≤ 10 s, then SIGKILL; the exit status (-1 when killed)
  int wait(std::chrono::milliseconds);  // the exit status, or -2 when still running

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

// The merchant the wallet talks to: the real `setpay merchant` process, or the in-process fixture.
class MerchantEndpoint {
 public:
  virtual ~MerchantEndpoint() = default;
  virtual protocol::WakeUp offer(std::int64_t cents, const std::string& description = "2 x espresso; table 4") = 0;
  // The wake-up's bytes as the merchant sends them (application/set-payment-initiation): a redirector's input.
  virtual std::string offerBody(std::int64_t cents, const std::string& description) { return protocol::format(offer(cents, description)); }
  virtual int received(const std::string& messageType) const = 0;  // "PInitReq", "PReq"
  // A request to the merchant's own HTTPS port (GET / its shop page, POST /orders): what a plain-HTTP shop
  // front in front of it answers. Only the real merchant service has a shop.
  virtual runtime::HttpResponse shopRequest(const std::string& method, const std::string& path, const std::string& contentType,
                                            const std::string& body) {
    (void)method, (void)path, (void)contentType, (void)body;
    throw std::logic_error("this merchant has no shop page");
  }
};

// `setpay merchant --config F` beside the gateway home: orders through POST /orders (the wake-up comes
// back as text), SET messages counted from its set-message log lines.
class MerchantService final : public MerchantEndpoint {
 public:
  MerchantService(const GatewayHome&, const std::string& gatewayUrl);
  protocol::WakeUp offer(std::int64_t cents, const std::string& description) override;
  std::string offerBody(std::int64_t cents, const std::string& description) override;  // POST /orders, its body
  int received(const std::string& messageType) const override;
  runtime::HttpResponse shopRequest(const std::string& method, const std::string& path, const std::string& contentType,
                                    const std::string& body) override;

 private:
  MerchantHome home_;
  MerchantProcess process_{home_};
  runtime::HttpClient client_;
};

// TEST FIXTURE — not the merchant service. merchant::Merchant (in memory) on runtime's HTTPS server
// (tls/merchant.pem), its AuthReqs sent to the real gateway process through GatewayLink.
class MerchantFixture final : public MerchantEndpoint {
 public:
  MerchantFixture(const GatewayHome&, std::function<Bytes(ByteView)> toGateway);
  ~MerchantFixture() override;
  protocol::WakeUp offer(std::int64_t cents, const std::string& description) override;
  int received(const std::string& messageType) const override;
  const std::string& url() const { return url_; }

 private:
  const World& w_;
  std::function<Bytes(ByteView)> toGateway_;
  runtime::Logger log_;
  runtime::Metrics metrics_{"merchant-fixture"};
  std::unique_ptr<runtime::HttpServer> server_;
  runtime::WorkQueue work_{1};
  merchant::InMemoryMerchantStore store_;
  protocol::SystemClock clock_;
  protocol::SystemRandom random_;
  std::unique_ptr<merchant::Merchant> merchant_;
  std::string url_;
  mutable std::mutex mutex_;
  std::map<std::string, int> received_;
};

struct WalletOptions {
  cli::WalletConfigOptions config;
  std::string enrollArgs;  // e.g. "--ceiling-purchase 1000"
  bool merchantFixture = false;  // true: the in-process MerchantFixture instead of `setpay merchant`
  std::vector<std::string> cardArgs;  // extra `setpay card` flags, e.g. {"--remove-after", "3"}
  bool enroll = true;  // false: kMsisdn is not enrolled at start (the test enrolls it, e.g. over HTTP)
};

class WalletScene {
 public:
  static constexpr const char* kPin = "2468";
  static constexpr const char* kMsisdn = "+33612345678";

  WalletScene(protocol::ProfileId, WalletOptions = {});
  ~WalletScene();

  // `setpay terminal --pin-fd 0 --purchases N`, PINs from `pinFd` (a file or pipe), output to terminalLog.
  void startTerminal(int pinFd, unsigned purchases = 0);
  void startTerminalWithPins(const std::string& pinLines, unsigned purchases = 0);
  void waitTerminalConnected();
  void stopTerminal();
  void allowCardDataOnTerminal();  // rewrites terminal.toml with allow_card_data = true
  // terminal.toml's options: this scene's wallet ports, vpcd reader 0, kMsisdn for `setpay terminal open`.
  cli::TerminalConfigOptions terminalOptions(bool allowCardData) const;
  std::string terminalOutput() const;

  // Message c for a fresh wake-up of `cents`, signed with the terminal's enrolled key.
  std::string messageC(std::int64_t cents, const std::string& msisdn = kMsisdn);
  std::string signedC(const protocol::WakeUp&, const std::string& msisdn, const std::string& senderId = "handset");
  runtime::HttpResponse postC(const std::string& xml);
  std::string walletPortFile() const { return *options_.config.portFile; }
  std::string startPurchase(std::int64_t cents);  // POST /c, 202 expected; the purchase id
  boost::json::object status(const std::string& id = "");
  // GET /accounts?msisdn=… with tls/<client>-client.pem (empty: no client certificate).
  runtime::HttpResponse getAccount(const std::string& client, const std::string& msisdn = kMsisdn);
  // Any request to the wallet's HTTP port with tls/<client>-client.pem (empty: no client certificate).
  runtime::HttpResponse api(const std::string& client, const std::string& method, const std::string& target,
                            const std::string& contentType = {}, const std::string& body = {});
  boost::json::object waitEnded(const std::string& id, std::chrono::seconds = std::chrono::seconds(40));
  test_support::CommandResult walletCli(const std::string& args) const;  // `setpay wallet ARGS --config …`
  long walletRssKb() const;
  long walletThreads() const;

  GatewayHome home;
  GatewayProcess gateway{home};
  std::string pan;
  Bytes panSecret;
  fs::path walletLog, terminalLog, cardLog;

 private:
  // Waits until pcscd shows vpcd slot 0 holding a card (present) or empty; throws `failure` otherwise.
  void waitSlot(bool present, const std::string& failure) const;

  WalletOptions options_;
  std::unique_ptr<GatewayLink> link_;
  std::unique_ptr<MerchantEndpoint> merchant_;
  test_support::TempDir cardDir_{"setpay-wallet-card"};
  std::unique_ptr<ChildProcess> card_, wallet_, terminal_;
  std::unique_ptr<runtime::HttpClient> client_;
  std::uint16_t walletPort_ = 0;
  protocol::SystemClock clock_;
  protocol::SystemRandom random_;

 public:
  MerchantEndpoint& merchant() { return *merchant_; }
};

}  // namespace setpay::services_test
