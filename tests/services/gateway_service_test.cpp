// `setpay gateway` as a real process over HTTPS (TLS with client certificates, loopback, a free port):
// purchases through it in both profiles, replay after a restart, the HTTP layer's limits and timeouts,
// metrics, the drain on SIGTERM, the accounts command and `setpay pki init`'s configuration.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "protocol/messages/codec.hpp"
#include "tests/services/service_fixture.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::services_test {
namespace {

using namespace std::chrono_literals;
using protocol::ProfileId;

class GatewayPurchaseTest : public ::testing::TestWithParam<ProfileId> {};

std::function<Bytes(ByteView)> via(GatewayLink& link) {
  return [&link](ByteView b) { return link(b); };
}

TEST_P(GatewayPurchaseTest, ApproveDeclineAndCaptureOverHttps) {
  GatewayHome home(GetParam());
  home.addAccount(pan(0), 100000);
  home.addAccount(pan(1), 1000);
  GatewayProcess gateway(home);
  gateway.start();
  GatewayLink link(home, [&] { return gateway.url(); }, false);
  Shop shop(home.w, via(link));
  Card rich = shop.issueCard(pan(0)), poor = shop.issueCard(pan(1));

  const auto approved = shop.buy(rich, 4250);
  EXPECT_TRUE(approved.approved()) << approved.detail;
  const auto declined = shop.buy(poor, 4250);
  ASSERT_TRUE(declined.authStatus) << declined.detail;
  EXPECT_EQ(declined.authStatus->authCode, protocol::AuthCode::declined);

  const auto exchanges = link.exchanges();
  ASSERT_EQ(exchanges.size(), 2u);
  const Bytes capRes = link(shop.capReq(exchanges[0].response, 4250));
  EXPECT_EQ(shop.capCode(capRes), protocol::CapCode::success);
  EXPECT_EQ(shop.capCode(link(shop.capReq(exchanges[0].response, 4250))), protocol::CapCode::duplicateRequest);

  const auto show = home.accounts("show --pan " + pan(0));
  ASSERT_EQ(show.status, 0);
  EXPECT_NE(show.output.find("balance 978 95750 -2"), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("holds 0 captured 1"), std::string::npos) << show.output;
  EXPECT_EQ(show.output.find(pan(0)), std::string::npos) << "PAN printed in clear";
  EXPECT_EQ(gateway.terminate(), 0);
}

TEST_P(GatewayPurchaseTest, ReplayedAuthReqAfterARestartGetsTheSameBytesAndNoSecondHold) {
  GatewayHome home(GetParam());
  home.addAccount(pan(2), 100000);
  GatewayProcess gateway(home);
  gateway.start();
  GatewayLink link(home, [&] { return gateway.url(); }, false);
  Shop shop(home.w, via(link));
  Card card = shop.issueCard(pan(2));
  ASSERT_TRUE(shop.buy(card, 1999).approved());
  const auto first = link.exchanges().at(0);

  gateway.kill9();  // no goodbye: the authorization must already be on disk
  gateway.start();
  EXPECT_EQ(link(first.request), first.response);
  const auto show = home.accounts("show --pan " + pan(2));
  EXPECT_NE(show.output.find("available 978 98001 -2"), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("holds 1 captured 0"), std::string::npos) << show.output;
}

INSTANTIATE_TEST_SUITE_P(Profiles, GatewayPurchaseTest, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         [](const auto& p) { return profileName(p.param); });

// ---- the HTTP layer

cli::GatewayConfigOptions tightLimits() {
  cli::GatewayConfigOptions o;
  o.maxConnections = 64;
  o.readTimeoutMs = 1500;
  o.handshakeTimeoutMs = 1500;
  return o;
}

struct Running {
  explicit Running(cli::GatewayConfigOptions o = tightLimits()) : home(ProfileId::modern, o), gateway(home) {
    home.addAccount(pan(3), 1'000'000);
    gateway.start();
  }
  GatewayHome home;
  GatewayProcess gateway;
};

TEST(GatewayHttp, BodyOverTheLimitIs413) {
  Running r;
  runtime::HttpClient client(r.home.clientOptions());
  const auto response = client.postSync(r.gateway.url(), "application/set-payment", std::string(70 * 1024, 'x'));
  EXPECT_EQ(response.status, 413u);
  EXPECT_EQ(client.getSync(r.gateway.url("/healthz")).status, 200u);
}

TEST(GatewayHttp, WrongContentTypeIs415) {
  Running r;
  runtime::HttpClient client(r.home.clientOptions());
  EXPECT_EQ(client.postSync(r.gateway.url(), "text/plain", "hello").status, 415u);
  EXPECT_EQ(client.postSync(r.gateway.url(), "application/json", "{}").status, 415u);
}

TEST(GatewayHttp, UnknownPathIs404AndAPanInItIsNotLogged) {
  Running r;
  runtime::HttpClient client(r.home.clientOptions());
  EXPECT_EQ(client.getSync(r.gateway.url("/cards/" + pan(4))).status, 404u);
  r.gateway.terminate();
  const std::string log = test_support::readFile(r.home.logFile);
  EXPECT_NE(log.find("status=404"), std::string::npos) << log;
  EXPECT_EQ(log.find(pan(4)), std::string::npos);
}

TEST(GatewayHttp, MalformedDerGetsASetErrorAndTheServiceKeepsServing) {
  Running r;
  runtime::HttpClient client(r.home.clientOptions());
  const auto response = client.postSync(r.gateway.url(), "application/set-payment", "\x30\x82\x01 not DER, card " + pan(5));
  ASSERT_EQ(response.status, 200u);
  const auto wrapper = protocol::decode<protocol::MessageWrapper>(protocol::view(response.body));
  EXPECT_TRUE(std::holds_alternative<protocol::Error>(wrapper.message));

  GatewayLink link(r.home, [&] { return r.gateway.url(); }, false);
  Shop shop(r.home.w, via(link));
  Card card = shop.issueCard(pan(3));
  EXPECT_TRUE(shop.buy(card, 500).approved());
  // The operator reads why it was refused: the SET ErrorCode and our reason, on the message's line.
  r.gateway.terminate();
  const std::string log = test_support::readFile(r.home.logFile);
  EXPECT_NE(log.find("result=error latency_ms="), std::string::npos) << log;
  EXPECT_NE(log.find("why=\"decodingFailure: "), std::string::npos) << log;
  EXPECT_EQ(log.find("decodingFailure: decodingFailure"), std::string::npos) << log;  // the code said once
  EXPECT_EQ(log.find(pan(5)), std::string::npos) << log;
}

// Blocking TLS client with the merchant's client certificate, for byte-level control.
class RawTls {
 public:
  RawTls(const GatewayHome& home, std::uint16_t port) : ctx_(SSL_CTX_new(TLS_client_method())) {
    ::signal(SIGPIPE, SIG_IGN);  // writing to a connection the server closed must fail, not kill the test
    SSL_CTX_load_verify_locations(ctx_, (home.dir / "tls/ca.pem").c_str(), nullptr);
    SSL_CTX_use_certificate_chain_file(ctx_, (home.dir / "tls/merchant-client.pem").c_str());
    SSL_CTX_use_PrivateKey_file(ctx_, (home.dir / "tls/merchant-client-key.pem").c_str(), SSL_FILETYPE_PEM);
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("connect");
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    if (SSL_connect(ssl_) != 1) throw std::runtime_error("TLS handshake");
  }
  ~RawTls() {
    SSL_free(ssl_);
    ::close(fd_);
    SSL_CTX_free(ctx_);
  }
  RawTls(const RawTls&) = delete;
  RawTls& operator=(const RawTls&) = delete;
  bool write(std::string_view s) { return SSL_write(ssl_, s.data(), static_cast<int>(s.size())) == static_cast<int>(s.size()); }
  std::string readAll() {
    std::string out;
    char buf[4096];
    for (;;) {
      const int n = SSL_read(ssl_, buf, sizeof buf);
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }

 private:
  SSL_CTX* ctx_;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
};

TEST(GatewayHttp, AClientSendingOneByteASecondIsClosedByTheReadTimeout) {
  Running r;  // read_timeout_ms = 1500
  RawTls slow(r.home, r.gateway.port());
  const std::string request = "POST /set HTTP/1.1\r\nHost: x\r\nContent-Type: application/set-payment\r\nContent-Length: 10\r\n\r\n";
  const auto start = std::chrono::steady_clock::now();
  std::size_t sent = 0;
  while (sent < request.size() && slow.write(request.substr(sent, 1))) {
    ++sent;
    std::this_thread::sleep_for(1s);
    if (std::chrono::steady_clock::now() - start > 6s) break;
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(sent, 6u) << "the server kept reading a request trickling in";
  EXPECT_GE(elapsed, 1400ms);
  EXPECT_LT(elapsed, 5s);
  runtime::HttpClient client(r.home.clientOptions());
  EXPECT_EQ(client.getSync(r.gateway.url("/healthz")).status, 200u);
}

std::size_t countEntries(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}
long threadsOf(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Threads:", 0) == 0) return std::stol(line.substr(8));
  return -1;
}

TEST(GatewayHttp, AThousandIdleConnectionsStayWithinTheLimitAndOthersAreStillServed) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < 1100) {  // bounded: enough for this test's sockets
    limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 2048);
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
  }
  ASSERT_GE(limit.rlim_cur, 1100u);
  Running r;  // max_connections = 64
  const fs::path fds = "/proc/" + std::to_string(r.gateway.pid()) + "/fd";
  const std::size_t fdsBefore = countEntries(fds);
  const long threadsBefore = threadsOf(r.gateway.pid());

  std::vector<int> idle;
  for (int i = 0; i < 1000; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(r.gateway.port());
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    idle.push_back(fd);
  }
  std::this_thread::sleep_for(500ms);  // let the server accept what it will
  const std::size_t fdsDuring = countEntries(fds);
  EXPECT_LE(fdsDuring, fdsBefore + 64 + 8) << "more connections open than max_connections";
  EXPECT_EQ(threadsOf(r.gateway.pid()), threadsBefore) << "a thread per connection?";

  runtime::HttpClient client(r.home.clientOptions());
  EXPECT_EQ(client.getSync(r.gateway.url("/healthz")).status, 200u);
  GatewayLink link(r.home, [&] { return r.gateway.url(); }, false);
  Shop shop(r.home.w, via(link));
  Card card = shop.issueCard(pan(3));
  EXPECT_TRUE(shop.buy(card, 700).approved());
  const std::string metrics = client.getSync(r.gateway.url("/metrics")).body;
  EXPECT_NE(metrics.find("setpay_http_connections_evicted_total"), std::string::npos);
  for (int fd : idle) ::close(fd);
}

TEST(GatewayHttp, MetricsHealthAndReadiness) {
  Running r;
  runtime::HttpClient client(r.home.clientOptions());
  EXPECT_EQ(client.getSync(r.gateway.url("/healthz")).status, 200u);
  EXPECT_EQ(client.getSync(r.gateway.url("/readyz")).status, 200u);
  GatewayLink link(r.home, [&] { return r.gateway.url(); }, false);
  Shop shop(r.home.w, via(link));
  Card card = shop.issueCard(pan(3));
  ASSERT_TRUE(shop.buy(card, 800).approved());
  const auto m = client.getSync(r.gateway.url("/metrics"));
  EXPECT_EQ(m.status, 200u);
  EXPECT_NE(m.contentType.find("text/plain"), std::string::npos);
  EXPECT_TRUE(std::regex_search(m.body, std::regex(R"(setpay_set_messages_total\{[^}]*result="approved"[^}]*type="AuthReq"[^}]*\} 1)")))
      << m.body;
  EXPECT_TRUE(std::regex_search(m.body, std::regex(R"(setpay_set_message_seconds_count\{[^}]*type="AuthReq"[^}]*\} 1)")));
  EXPECT_TRUE(std::regex_search(m.body, std::regex(R"(setpay_http_responses_total\{[^}]*code="200"[^}]*\} [1-9])")));
}

TEST(GatewayHttp, AClientWithoutACertificateIsRefused) {
  Running r;
  runtime::HttpClient anonymous(r.home.clientOptions(false));
  EXPECT_EQ(test_support::thrownMessage<runtime::TransportError>([&] { anonymous.getSync(r.gateway.url("/healthz")); }),
            "read: tlsv13 alert certificate required (SSL routines)");
}

TEST(GatewayHttp, SigtermLetsAnInFlightRequestFinishThenExitsZero) {
  Running r;
  RawTls client(r.home, r.gateway.port());
  const std::string body = "\x30\x03\x02\x01\x00";  // short, undecodable: answered with a SET Error
  ASSERT_TRUE(client.write("POST /set HTTP/1.1\r\nHost: x\r\nContent-Type: application/set-payment\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 2)));
  std::this_thread::sleep_for(300ms);  // the header is read: the request is in flight
  ASSERT_EQ(::kill(r.gateway.pid(), SIGTERM), 0);
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(client.write(body.substr(2)));
  const std::string answer = client.readAll();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer.substr(0, 200);
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
  EXPECT_EQ(r.gateway.waitExit(), 0);
}

// ---- configuration and tools

std::string withLine(const std::string& text, const std::string& after, const std::string& line, int& lineNumber) {
  const auto at = text.find(after);
  const auto end = text.find('\n', at) + 1;
  lineNumber = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n')) + 1;
  return text.substr(0, end) + line + "\n" + text.substr(end);
}

TEST(GatewayConfig, AWrongKeyTypeOrPathIsRefusedWithFileLineAndKey) {
  GatewayHome home(ProfileId::modern);
  const std::string good = test_support::readFile(home.config);
  const fs::path bad = home.dir / "bad.toml";
  const auto start = [&] {
    return test_support::captureCommand(test_support::shellQuote(test_support::setpayBinary()) + " gateway --config " +
                                        test_support::shellQuote(bad.string()) + " 2>&1");
  };
  int line = 0;
  test_support::writeFile(bad, withLine(good, "[server]", "prot = 8443", line));
  auto r = start();
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("bad.toml:" + std::to_string(line) + ": server.prot: unknown key"), std::string::npos) << r.output;

  test_support::writeFile(bad, withLine(good, "[storage]", "busy_timeout_ms = \"soon\"", line));
  r = start();
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("bad.toml:" + std::to_string(line) + ": storage.busy_timeout_ms: expected an integer"),
            std::string::npos) << r.output;

  std::string missing = good;
  missing.replace(missing.find("\"gateway-kex/key.pem\""), 21, "\"gateway-kex/nokey.pem\"");
  test_support::writeFile(bad, missing);
  r = start();
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(bad\.toml:\d+: set\.key_exchange_key: no readable file .*nokey\.pem)")))
      << r.output;
}

TEST(GatewayAccounts, AddListShowSetBalanceBlockAndUnblockWithPansMasked) {
  GatewayHome home(ProfileId::modern);
  home.addAccount(pan(6), 5000);
  EXPECT_EQ(home.accounts("add --pan " + pan(6) + " --balance 1").status, 1) << "an account is opened once";
  EXPECT_EQ(home.accounts("add --pan 4970101000001235 --balance 1").status, 2) << "Luhn";
  auto list = home.accounts("list");
  ASSERT_EQ(list.status, 0);
  EXPECT_NE(list.output.find("************" + pan(6).substr(12)), std::string::npos) << list.output;
  EXPECT_EQ(list.output.find(pan(6)), std::string::npos);
  EXPECT_EQ(home.accounts("set-balance --pan " + pan(6) + " --balance 9000").status, 0);
  EXPECT_NE(home.accounts("show --pan " + pan(6)).output.find("balance 978 9000 -2"), std::string::npos);
  EXPECT_EQ(home.accounts("show --pan " + pan(7)).status, 1);

  GatewayProcess gateway(home);
  gateway.start();
  GatewayLink link(home, [&] { return gateway.url(); }, false);
  Shop shop(home.w, via(link));
  Card card = shop.issueCard(pan(6));
  ASSERT_EQ(home.accounts("block --pan " + pan(6)).status, 0);  // while the gateway runs (WAL, busy timeout)
  EXPECT_NE(home.accounts("show --pan " + pan(6)).output.find("BLOCKED"), std::string::npos);
  const auto refused = shop.buy(card, 100);
  ASSERT_TRUE(refused.authStatus);
  EXPECT_EQ(refused.authStatus->authCode, protocol::AuthCode::declined);
  ASSERT_EQ(home.accounts("unblock --pan " + pan(6)).status, 0);
  EXPECT_TRUE(shop.buy(card, 100).approved());
}

TEST(GatewayConfig, PkiInitWritesAConfigTheGatewayStartsFrom) {
  test_support::TempDir temp("setpay-pki-init");
  const fs::path dir = temp.path() / "pki";
  const std::string setpay = test_support::shellQuote(test_support::setpayBinary());
  const auto init = test_support::captureCommand(setpay + " pki init " + test_support::shellQuote(dir.string()) +
                                                 " --profile set1 2>&1");
  ASSERT_EQ(init.status, 0) << init.output;
  EXPECT_NE(init.output.find("gateway.toml"), std::string::npos);
  for (const char* f : {"gateway.toml", "tls/ca.pem", "tls/gateway.pem", "tls/gateway-key.pem", "tls/merchant-client.pem",
                        "gateway/pan-hash.key"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  EXPECT_EQ(fs::status(dir / "gateway/pan-hash.key").permissions() & fs::perms::others_read, fs::perms::none);
  // The one change a test needs: any free port instead of 8443, reported in a file.
  std::string config = test_support::readFile(dir / "gateway.toml");
  config.replace(config.find("port = 8443"), 11, "port = 0\nport_file = \"gateway/port\"");
  const auto logFile = logDir() / ("pki-init-gateway." + std::to_string(::getpid()) + ".log");
  config.replace(config.find("level = \"info\""), 14, "level = \"info\"\nfile = \"" + logFile.string() + "\"");
  test_support::writeFile(dir / "gateway.toml", config);
  const auto list = test_support::captureCommand(setpay + " gateway accounts list --config " +
                                                 test_support::shellQuote((dir / "gateway.toml").string()) + " 2>&1");
  EXPECT_EQ(list.status, 0) << list.output;

  // Start it as GatewayProcess does, from the pki directory's own configuration.
  GatewayHome home(ProfileId::set1);  // only for its client options' shape
  home.dir = dir;
  home.config = dir / "gateway.toml";
  home.portFile = dir / "gateway" / "port";
  home.logFile = logFile;
  GatewayProcess gateway(home);
  gateway.start();
  runtime::HttpClient client(home.clientOptions());
  EXPECT_EQ(client.getSync(gateway.url("/healthz")).status, 200u);
  EXPECT_EQ(gateway.terminate(), 0);
}

}  // namespace
}  // namespace setpay::services_test
