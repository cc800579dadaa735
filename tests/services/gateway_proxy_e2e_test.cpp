// `setpay redirector --mode gateway-proxy` end to end (claim 5) with real processes: gateway, merchant,
// wallet, terminal, card through pcscd (tests/services/wallet_scene.hpp) and the proxy itself. The
// MSISDN comes from a RADIUS Accounting-Start sent by a real `radclient` (freeradius-utils); the
// handset's browser is `curl -x` (each "handset" its own loopback address through --interface).
// The shop front the handset browses is plain HTTP (a CONNECT tunnel would hide the wake-up): a test
// origin in this process that passes GET / (the shop page) and POST /orders to the real merchant's HTTPS
// port and returns its answers' bodies and types. `BrowserOrdersOnTheShopPage` replaces curl with a real
// browser: headless Chromium driven by python3-selenium (browser_purchase.py) clicks the shop page's
// Order button. Run under scripts/with-virtual-pcsc.sh.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <iostream>
#include <regex>
#include <set>
#include <thread>

#include "runtime/http_server.hpp"
#include "tests/services/wallet_scene.hpp"

namespace setpay::services_test {
namespace {

using namespace std::chrono_literals;
namespace ts = test_support;

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

std::uint16_t waitPort(const fs::path& file, ChildProcess& p, const fs::path& log) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!fs::exists(file)) {
    if (!p.running()) throw std::runtime_error("the proxy exited at start; see " + log.string());
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("no port file " + file.string());
    std::this_thread::sleep_for(10ms);
  }
  return static_cast<std::uint16_t>(std::stoi(ts::readFile(file)));
}

// The shop's plain-HTTP front for the real merchant: GET / → its shop page, POST /orders → its answer
// (the wake-up, its bytes and media type), both fetched from the merchant's HTTPS port;
// GET /hello → a page (passes through the proxy unchanged).
class ShopFront {
 public:
  explicit ShopFront(MerchantEndpoint& merchant)
      : log_(runtime::LogOptions{"shop-front", runtime::LogFormat::human, runtime::LogLevel::info, logDir() / "shop-front.log"}) {
    server_ = std::make_unique<runtime::HttpServer>(runtime::ServerOptions{}, log_, metrics_);
    server_->route("GET", "/", {}, [this, &merchant](runtime::HttpRequest, runtime::Respond respond) {
      work_.post([&merchant, respond = std::move(respond)] { respond(merchant.shopRequest("GET", "/", "", "")); });
    });
    server_->route("POST", "/orders", {"application/json"}, [this, &merchant](runtime::HttpRequest r, runtime::Respond respond) {
      work_.post([&merchant, body = std::move(r.body), respond = std::move(respond)] {
        respond(merchant.shopRequest("POST", "/orders", "application/json", body));
      });
    });
    server_->route("GET", "/hello", {}, [](runtime::HttpRequest, runtime::Respond respond) {
      respond({200, "text/html; charset=utf-8", "<p>hello from the shop</p>\n"});
    });
    port_ = server_->start(false);
  }
  ~ShopFront() {
    server_->stop();
    server_->run();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  runtime::Logger log_;
  runtime::Metrics metrics_{"shop-front"};
  runtime::WorkQueue work_{1};
  std::unique_ptr<runtime::HttpServer> server_;
  std::uint16_t port_ = 0;
};

struct ProxyScene {
  explicit ProxyScene(protocol::ProfileId profile, std::vector<std::string> accessNetworks = {"127.0.0.0/8"})
      : s(profile), front(s.merchant()) {
    cli::GatewayProxyConfigOptions o;
    o.accessNetworks = std::move(accessNetworks);
    o.port = 0;  // free ports, written to the port files
    o.accountingPort = 0;
    o.portFile = (s.home.dir / "redirector-gw" / "port").string();
    o.accountingPortFile = (s.home.dir / "redirector-gw" / "accounting-port").string();
    o.walletPortFile = s.walletPortFile();
    log = logDir() / (s.home.logFile.stem().string() + ".proxy.log");
    o.logFile = log.string();
    cli::writeGatewayProxyConfig(s.home.dir, o);
    secret = ts::readFile(s.home.dir / "redirector-gw" / "radius-secret");
    secret.erase(secret.find('\n'));
    const auto enrolled = s.walletCli("enroll-sender --msisdn " + std::string(WalletScene::kMsisdn) + " --sender-id operator-gw-1 --key " +
                                      ts::shellQuote((s.home.dir / "redirector-gw" / "pub.pem").string()));
    if (enrolled.status != 0) throw std::runtime_error(enrolled.output);
    proxy = std::make_unique<ChildProcess>(std::vector<std::string>{ts::setpayBinary(), "redirector", "--mode", "gateway-proxy", "--config",
                                                                    (s.home.dir / "redirector-gw.toml").string()},
                                           log);
    proxyPort = waitPort(*o.portFile, *proxy, log);
    accountingPort = waitPort(*o.accountingPortFile, *proxy, log);
  }

  // radclient's exit status (0: our Accounting-Response verified).
  int accountingStart(const std::string& address, const std::string& callingStationId, const std::string& session,
                      const std::string& withSecret = "") {
    const std::string attrs = "Acct-Status-Type = Start, Framed-IP-Address = " + address + ", Calling-Station-Id = \"" + callingStationId +
                              "\", Acct-Session-Id = \"" + session + "\"";
    return ts::runCommand("echo " + ts::shellQuote(attrs) + " | radclient -r 1 -t 2 127.0.0.1:" + std::to_string(accountingPort) +
                          " acct " + ts::shellQuote(withSecret.empty() ? secret : withSecret) + " >/dev/null 2>&1");
  }

  // curl through the proxy from `from`; the body, then the HTTP status on the last line.
  ts::CommandResult curl(const std::string& from, const std::string& args) {
    return ts::captureCommand("curl -sS --max-time 30 --interface " + from + " -x http://127.0.0.1:" + std::to_string(proxyPort) + " " +
                              args + " -w '\\n%{http_code}' 2>&1");
  }
  ts::CommandResult order(const std::string& from, const std::string& extraHeaders = "") {
    return curl(from, extraHeaders + " -H 'Content-Type: application/json' -d " +
                          ts::shellQuote(R"({"amount":4250,"currency":978,"description":"1 x SET Book 2"})") + " " +
                          ts::shellQuote(front.url("/orders")));
  }

  WalletScene s;
  ShopFront front;
  fs::path log;
  std::string secret;
  std::unique_ptr<ChildProcess> proxy;
  std::uint16_t proxyPort = 0, accountingPort = 0;
};

std::string statusOf(const ts::CommandResult& r) { return r.output.substr(r.output.rfind('\n') + 1); }

std::string purchaseIn(const std::string& page) {
  std::smatch m;
  return std::regex_search(page, m, std::regex("Purchase ([0-9a-f]{32})")) ? std::string(m[1]) : std::string();
}

class GatewayProxyE2E : public ::testing::TestWithParam<protocol::ProfileId> {};

std::string profileParamName(const ::testing::TestParamInfo<protocol::ProfileId>& i) { return profileName(i.param); }

// RADIUS Start (radclient) → the handset orders through the proxy → the wake-up goes to the wallet as c
// for the RADIUS MSISDN (the handset's own X-MSISDN is stripped) → terminal, card, PIN → approved; the
// handset's page shows "confirm on your card reader", then the outcome.
TEST_P(GatewayProxyE2E, RadiusMsisdnDivertsTheWakeUpAndThePageShowsApproved) {
  ProxyScene p(GetParam());
  p.s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n", 1);
  p.s.waitTerminalConnected();
  ASSERT_EQ(p.accountingStart("127.0.0.2", "33612345678", "sess-1"), 0);
  const auto started = std::chrono::steady_clock::now();
  const auto r = p.order("127.0.0.2", "-H 'X-MSISDN: +33699999999'");
  ASSERT_EQ(statusOf(r), "200") << r.output;
  EXPECT_TRUE(contains(r.output, "Confirm on your card reader")) << r.output;
  EXPECT_FALSE(contains(r.output, "SET-Initiation-Type")) << "the wake-up reached the handset";
  const std::string id = purchaseIn(r.output);
  ASSERT_FALSE(id.empty()) << r.output;
  std::string page;
  for (const auto deadline = std::chrono::steady_clock::now() + 40s; std::chrono::steady_clock::now() < deadline;) {
    const auto st = p.curl("127.0.0.2", ts::shellQuote("http://redirector.setpay.invalid/purchase?id=" + id));
    ASSERT_EQ(statusOf(st), "200") << st.output;
    page = st.output;
    if (!contains(page, "http-equiv=\"refresh\"")) break;
    std::this_thread::sleep_for(200ms);
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  EXPECT_TRUE(contains(page, "Payment approved")) << page;
  EXPECT_TRUE(contains(page, "42.50 EUR")) << page;
  EXPECT_EQ(p.s.status(id).at("outcome").as_string(), "approved");
  EXPECT_EQ(p.s.merchant().received("PReq"), 1);
  // Another address may not read that purchase's page.
  EXPECT_EQ(statusOf(p.curl("127.0.0.3", ts::shellQuote("http://redirector.setpay.invalid/purchase?id=" + id))), "404");
  const std::string proxyLog = ts::readFile(p.log);
  EXPECT_TRUE(contains(proxyLog, "msisdn-header-stripped")) << proxyLog;
  EXPECT_TRUE(contains(proxyLog, "X-MSISDN")) << proxyLog;
  EXPECT_TRUE(contains(proxyLog, "wake-up-diverted")) << proxyLog;
  EXPECT_TRUE(contains(proxyLog, "msisdn=+33612345678")) << proxyLog;
  EXPECT_TRUE(contains(ts::readFile(p.s.walletLog), "sender=gateway-proxy:operator-gw-1"));
  RecordProperty("order_to_outcome_page_ms", static_cast<int>(took.count()));
}

// browser_purchase.py (python3-selenium, headless Chromium) in its own process group, output to a file.
// finish() waits at most `bound`, then SIGKILLs that group; the leader is reaped only after the group
// is killed (waitid WNOWAIT), so the group id cannot have been reused by then.
class BrowserRun {
 public:
  BrowserRun(std::uint16_t proxyPort, const std::string& shopUrl, const fs::path& out, const fs::path& driverLog) {
    std::vector<std::string> a{"/usr/bin/python3", SETPAY_BROWSER_SCRIPT, "--proxy-port", std::to_string(proxyPort), "--shop-url", shopUrl,
                               "--timeout", "60", "--driver-log", driverLog.string()};
    std::vector<char*> args;
    for (auto& x : a) args.push_back(x.data());
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string outPath = out.string();
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);  // its own group: chromedriver and Chromium join it
    const int rc = posix_spawn(&pid_, a[0].c_str(), &actions, &attr, args.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start the browser script");
  }
  ~BrowserRun() { finish(0ms); }
  BrowserRun(const BrowserRun&) = delete;
  BrowserRun& operator=(const BrowserRun&) = delete;

  // The exit status, or -1 when it did not end within `bound` (killed).
  int finish(std::chrono::milliseconds bound) {
    if (pid_ <= 0) return status_;
    bool ended = false;
    for (const auto deadline = std::chrono::steady_clock::now() + bound;;) {
      siginfo_t info{};
      if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_) {
        ended = true;
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(50ms);
    }
    ::kill(-pid_, SIGKILL);  // the script's group only (whatever it left behind, or all of it on timeout)
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    status_ = ended && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return status_;
  }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

// A real browser behind the proxy: RADIUS Start (radclient) for 127.0.0.1, the browser's address →
// headless Chromium opens the merchant's shop page through the proxy (plain-HTTP front), clicks Order →
// the proxy diverts the wake-up to the wallet as c for that MSISDN and the page becomes "Confirm on your
// card reader" → terminal, card, PIN → the page refreshes to the outcome. Chromium reaches no host but
// the front and the proxy's own name (the proxy refuses and logs any other).
TEST_P(GatewayProxyE2E, BrowserOrdersOnTheShopPageAndSeesTheOutcome) {
  ProxyScene p(GetParam());
  p.s.startTerminalWithPins(std::string(WalletScene::kPin) + "\n", 1);
  p.s.waitTerminalConnected();
  ASSERT_EQ(p.accountingStart("127.0.0.1", "33612345678", "sess-browser"), 0);
  const std::string stem = p.s.home.logFile.stem().string();
  const fs::path out = logDir() / (stem + ".browser.out");
  const auto started = std::chrono::steady_clock::now();
  BrowserRun browser(p.proxyPort, p.front.url("/"), out, logDir() / (stem + ".chromedriver.log"));
  const int exit = browser.finish(90s);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  const std::string text = ts::readFile(out);
  ASSERT_EQ(exit, 0) << text;
  const auto confirmAt = text.find("--- confirm:");
  const auto outcomeAt = text.find("--- outcome: http://redirector.setpay.invalid/purchase?id=");
  ASSERT_NE(confirmAt, std::string::npos) << text;
  ASSERT_NE(outcomeAt, std::string::npos) << text;
  EXPECT_TRUE(contains(text.substr(0, confirmAt), "Order")) << "the shop page: " << text;
  const std::string confirm = text.substr(confirmAt, outcomeAt - confirmAt), outcome = text.substr(outcomeAt);
  EXPECT_TRUE(contains(confirm, "Confirm on your card reader")) << text;
  EXPECT_FALSE(contains(text, "SET-Initiation-Type")) << "the wake-up reached the browser: " << text;
  EXPECT_TRUE(contains(outcome, "Payment approved")) << text;
  EXPECT_TRUE(contains(outcome, "42.50 EUR")) << text;
  const std::string id = purchaseIn(confirm);
  ASSERT_FALSE(id.empty()) << text;
  EXPECT_TRUE(contains(outcome, id)) << text;
  EXPECT_EQ(p.s.status(id).at("outcome").as_string(), "approved");
  EXPECT_EQ(p.s.merchant().received("PInitReq"), 1);
  EXPECT_EQ(p.s.merchant().received("PReq"), 1);
  const auto history = p.s.walletCli("history --msisdn " + std::string(WalletScene::kMsisdn));
  ASSERT_EQ(history.status, 0) << history.output;
  EXPECT_TRUE(contains(history.output, "42.50 EUR  approved")) << history.output;
  const std::string proxyLog = ts::readFile(p.log);
  EXPECT_TRUE(contains(proxyLog, "wake-up-diverted peer=127.0.0.1")) << proxyLog;
  EXPECT_TRUE(contains(proxyLog, "msisdn=+33612345678")) << proxyLog;
  // Chromium's own background requests (component updater, Gaia's ListAccounts, the search engine's
  // new-tab page: Debian's Chromium 156 makes them despite the flags) reach the proxy, its only route, and
  // are refused there (allow_hosts: loopback only); Chromium resolves no name itself. No tunnel was opened
  // and nothing of ours was refused.
  EXPECT_FALSE(contains(proxyLog, "proxy-tunnel")) << "Chromium opened a CONNECT tunnel: " << proxyLog;
  EXPECT_FALSE(contains(proxyLog, "proxy-origin-failed")) << proxyLog;
  std::set<std::string> refused;
  const std::regex refusal("proxy-refused peer=\\S+ host=(\\S+)");
  for (std::sregex_iterator it(proxyLog.begin(), proxyLog.end(), refusal), end; it != end; ++it)
    refused.insert((*it)[1]);
  EXPECT_FALSE(refused.contains("127.0.0.1") || refused.contains("redirector.setpay.invalid")) << proxyLog;
  std::string refusedHosts;
  for (const auto& h : refused) refusedHosts += (refusedHosts.empty() ? "" : " ") + h;
  RecordProperty("browser_background_hosts_refused", refusedHosts);
  RecordProperty("browser_shop_to_outcome_ms", static_cast<int>(took.count()));
  std::cout << "browser: exit " << exit << " in " << took.count() << " ms; refused by the proxy: " << refusedHosts << "\nfinal page:\n"
            << outcome;
}

// Refusals: no RADIUS record (a client's own MSISDN header is not believed); a record sent with the
// wrong shared secret (no answer, nothing learnt); an MSISDN without a wallet account. Other traffic
// passes unchanged; CONNECT is tunnelled; hosts outside allow_hosts are refused.
TEST_P(GatewayProxyE2E, RefusalsAndPassThrough) {
  ProxyScene p(GetParam());
  auto r = p.order("127.0.0.4", "-H 'X-MSISDN: " + std::string(WalletScene::kMsisdn) + "' -H 'X-WAP-Network-Client-MSISDN: " +
                                    std::string(WalletScene::kMsisdn) + "'");
  EXPECT_EQ(statusOf(r), "403") << r.output;
  EXPECT_TRUE(contains(r.output, "does not know the mobile number")) << r.output;

  EXPECT_NE(p.accountingStart("127.0.0.5", "33612345678", "sess-5", "wrong-secret"), 0);
  r = p.order("127.0.0.5");
  EXPECT_EQ(statusOf(r), "403") << r.output;

  ASSERT_EQ(p.accountingStart("127.0.0.6", "33699999999", "sess-6"), 0);
  r = p.order("127.0.0.6");
  EXPECT_EQ(statusOf(r), "404") << r.output;
  EXPECT_TRUE(contains(r.output, "no wallet account")) << r.output;
  EXPECT_EQ(p.s.merchant().received("PInitReq"), 0);

  r = p.curl("127.0.0.4", ts::shellQuote(p.front.url("/hello")));
  EXPECT_EQ(statusOf(r), "200") << r.output;
  EXPECT_TRUE(contains(r.output, "hello from the shop")) << r.output;

  // CONNECT: TLS to the wallet's HTTPS port through the tunnel, end to end (the proxy sees no HTTP).
  r = p.curl("127.0.0.4", "--cacert " + ts::shellQuote((p.s.home.dir / "tls" / "ca.pem").string()) + " " +
                              ts::shellQuote("https://127.0.0.1:" + std::to_string(std::stoi(ts::readFile(p.s.walletPortFile()))) + "/healthz"));
  EXPECT_EQ(statusOf(r), "200") << r.output;
  r = p.curl("127.0.0.4", "http://example.invalid/");
  EXPECT_EQ(statusOf(r), "403") << r.output;

  const std::string proxyLog = ts::readFile(p.log);
  EXPECT_TRUE(contains(proxyLog, "outcome=badAuthenticator")) << proxyLog;
  EXPECT_TRUE(contains(proxyLog, "why=\"no MSISDN for this address\"")) << proxyLog;
  EXPECT_TRUE(contains(proxyLog, "proxy-tunnel")) << proxyLog;
  EXPECT_EQ(p.proxy->stop(), 0) << "SIGTERM stops the proxy with exit 0";
}

// Accounting from outside the configured access networks (radclient sends from 127.0.0.1, the only
// network is 127.0.0.2/32) is dropped unanswered and teaches nothing: the order is not diverted.
TEST_P(GatewayProxyE2E, AccountingFromOutsideTheAccessNetworksIsIgnored) {
  ProxyScene p(GetParam(), {"127.0.0.2/32"});
  EXPECT_NE(p.accountingStart("127.0.0.2", "33612345678", "sess-x"), 0);
  const auto r = p.order("127.0.0.2");
  EXPECT_EQ(statusOf(r), "403") << r.output;
  EXPECT_TRUE(contains(ts::readFile(p.log), "outcome=notFromAccessNetwork")) << ts::readFile(p.log);
  EXPECT_EQ(p.s.merchant().received("PInitReq"), 0);
}

INSTANTIATE_TEST_SUITE_P(Profiles, GatewayProxyE2E, ::testing::Values(protocol::ProfileId::set1, protocol::ProfileId::modern),
                         profileParamName);

}  // namespace
}  // namespace setpay::services_test
