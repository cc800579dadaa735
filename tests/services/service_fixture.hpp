// A gateway home (the layout `setpay pki init` writes: SET keys and CRLs, tls/, gateway.toml), the
// gateway process started from it, and a shop (merchant + cardholders, in this process) whose
// transport to the gateway is runtime's HTTPS client. Logs of every process go to the suite's log
// directory (SETPAY_SERVICE_LOG_DIR), which log_scan_test reads for PANs afterwards.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cli/service_configs.hpp"
#include "merchant/merchant.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/hierarchy.hpp"
#include "runtime/http_client.hpp"
#include "tests/services/test_pans.hpp"
#include "tests/support/scratch.hpp"
#include "wallet-server/cardholder.hpp"

namespace setpay::services_test {

namespace fs = std::filesystem;
using protocol::Bytes;
using protocol::ByteView;


struct World {
  protocol::AlgorithmProfile profile;
  protocol::pki::Hierarchy h;
  protocol::TimePoint mintedAt;
  std::string merID() const;
};
const World& world(protocol::ProfileId);  // minted once per build (tests/support/hierarchy_cache)

fs::path logDir();  // SETPAY_SERVICE_LOG_DIR, created if needed
std::string profileName(protocol::ProfileId);

class GatewayHome {
 public:
  GatewayHome(protocol::ProfileId, cli::GatewayConfigOptions = {});
  const World& w;
  test_support::TempDir temp;
  fs::path dir, config, portFile, logFile;
  runtime::ClientOptions clientOptions(bool withClientCertificate = true) const;
  // `setpay gateway accounts ARGS --config …`; returns exit status and stdout.
  test_support::CommandResult accounts(const std::string& args) const;
  void addAccount(const std::string& pan, std::int64_t balance) const;  // EUR cents; throws on failure
};

// A `setpay <service> --config F` process, stdout/stderr appended to its log file. Stopped by PID only.
class ServiceProcess {
 public:
  ServiceProcess(std::string service, fs::path config, fs::path portFile, fs::path logFile, runtime::ClientOptions probe);
  ~ServiceProcess();  // SIGKILL if still running
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  void start();        // waits until /readyz answers 200
  void kill9();        // SIGKILL + wait
  int terminate();     // SIGTERM; returns the exit status (-1 if killed by a signal or timed out)
  int waitExit();      // waits (≤ 20 s) for an exit already under way; its status as terminate()
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/set") const;

 private:
  std::string service_;
  fs::path config_, portFile_, logFile_;
  runtime::ClientOptions probe_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// `setpay gateway --config F` of a GatewayHome.
class GatewayProcess : public ServiceProcess {
 public:
  explicit GatewayProcess(const GatewayHome&);
};

// merchant.toml beside a GatewayHome's gateway.toml (same SET hierarchy and loopback TLS), pointing at
// `gatewayUrl`; its own port file, log file and database directory.
class MerchantHome {
 public:
  MerchantHome(const GatewayHome&, const std::string& gatewayUrl, cli::MerchantConfigOptions = {});
  const GatewayHome& gateway;
  fs::path config, portFile, logFile, database;
  runtime::ClientOptions clientOptions() const;  // a wallet's: trusts tls/ca.pem, no client certificate
  test_support::CommandResult capture() const;   // `setpay merchant capture --config …`
};

class MerchantProcess : public ServiceProcess {
 public:
  explicit MerchantProcess(const MerchantHome&);
};

// The merchant's view of the gateway: runtime's HTTPS client, retrying (same bytes) until an answer
// comes while the gateway restarts; every exchange recorded.
class GatewayLink {
 public:
  GatewayLink(const GatewayHome&, std::function<std::string()> url, bool retry);
  Bytes operator()(ByteView request);
  struct Exchange {
    Bytes request, response;
    int attempts = 0;
  };
  std::vector<Exchange> exchanges() const;
  runtime::HttpClient& client() { return client_; }

 private:
  std::function<std::string()> url_;
  bool retry_;
  runtime::HttpClient client_;
  mutable std::mutex mutex_;
  std::vector<Exchange> exchanges_;
};

struct Card {
  std::string pan, expiry;
  std::unique_ptr<wallet::SoftwareCard> access;
};

// Merchant + cardholders, in process; the merchant's transport is a GatewayLink.
class Shop {
 public:
  Shop(const World&, std::function<Bytes(ByteView)> toGateway);
  Card issueCard(const std::string& pan);
  wallet::PurchaseOutcome buy(Card&, std::int64_t cents);
  // CapReq for an approved AuthRes (as the merchant received it), and the CapCode of the CapRes.
  Bytes capReq(const Bytes& authResWrapper, std::int64_t cents);
  protocol::CapCode capCode(const Bytes& capResWrapper);
  protocol::OpenedAuthRes openAuthRes(const Bytes& authResWrapper);

  const World& w;
  protocol::SystemClock clock;
  protocol::SystemRandom random;

 private:
  merchant::InMemoryMerchantStore store_;
  std::function<Bytes(ByteView)> toGateway_;
  std::unique_ptr<merchant::Merchant> merchant_;
  protocol::SoftwareSigner merchantSigner_;
};

// A cardholder's wallet (wallet::Cardholder, in this process) buying from a merchant service over
// HTTPS: POST /orders for the wake-up, then PInitReq / PReq to its /set. With `retry`, an exchange
// that fails (transport error, HTTP status other than 200, or the merchant's Error unspecifiedFailure
// while its gateway is away) is sent again, same bytes, until an answer comes (≤ 90 s).
class Wallet {
 public:
  Wallet(const World&, runtime::ClientOptions, std::function<std::string(const std::string& path)> merchantUrl, bool retry);
  Card issueCard(const std::string& pan);
  protocol::WakeUp order(std::int64_t cents);
  struct Purchase {
    wallet::PurchaseOutcome outcome;
    Bytes xid;  // empty if PInitRes never came
    int retries = 0;
  };
  Purchase buy(Card&, std::int64_t cents);
  wallet::Cardholder cardholder(Card&);  // for step-by-step purchases
  Bytes toMerchant(ByteView wrapper, int* retries = nullptr);  // one exchange with /set
  runtime::HttpClient& client() { return client_; }

  const World& w;
  protocol::SystemClock clock;
  protocol::SystemRandom random;

 private:
  std::function<std::string(const std::string&)> url_;
  bool retry_;
  runtime::HttpClient client_;
};

protocol::CurrencyAmount eur(std::int64_t cents);

}  // namespace setpay::services_test
