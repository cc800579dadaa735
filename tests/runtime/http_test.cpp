// runtime's HTTP(S) server and client together on loopback, in one process: asynchronous handlers,
// keep-alive reuse, TLS with required client certificates and server-name verification, 413 and 415,
// the connection limit (idle connections evicted), and stop() draining a request in flight.
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <thread>

#include "cli/service_configs.hpp"
#include "runtime/http_client.hpp"
#include "runtime/http_server.hpp"
#include "runtime/log.hpp"
#include "runtime/metrics.hpp"
#include "runtime/work_queue.hpp"
#include "tests/support/scratch.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::runtime {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct Tls {
  Tls() { cli::mintLoopbackTls(dir.path(), {"server"}, {"merchant"}); }
  test_support::TempDir dir{"setpay-tls"};
  TlsServerOptions server(ClientCertificates mode = ClientCertificates::required) const {
    return {dir.path() / "server.pem", dir.path() / "server-key.pem", mode, dir.path() / "ca.pem"};
  }
  ClientOptions client(bool withCertificate = true) const {
    ClientOptions o;
    o.caFile = dir.path() / "ca.pem";
    if (withCertificate) {
      o.clientCertificate = dir.path() / "merchant-client.pem";
      o.clientKey = dir.path() / "merchant-client-key.pem";
    }
    o.requestTimeout = 5s;
    return o;
  }
};

// A server with an echo route answered from a worker thread (the asynchronous handler contract).
struct Echo {
  explicit Echo(ServerOptions o) : log(LogOptions{"test", LogFormat::human, LogLevel::warn, logFile()}), metrics("test"),
                                   server(std::move(o), log, metrics), work(2) {
    server.route("POST", "/echo", {"application/set-payment"}, [this](HttpRequest r, Respond respond) {
      work.post([this, r = std::move(r), respond = std::move(respond)] {
        std::this_thread::sleep_for(delay);
        respond({200, "application/set-payment", r.body + "|" + r.remote + "|" + r.clientCertificateSubject.value_or("-")});
      });
    });
    port = server.start(false);
  }
  ~Echo() {
    server.stop();
    server.run();
  }
  std::string url(const std::string& path = "/echo", bool tls = true) const {
    return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port) + path;
  }
  static fs::path logFile() { return fs::temp_directory_path() / ("setpay-http-test-" + std::to_string(::getpid()) + ".log"); }
  Logger log;
  Metrics metrics;
  HttpServer server;
  std::chrono::milliseconds delay{0};
  std::uint16_t port = 0;
  WorkQueue work;
};

ServerOptions withTls(const Tls& tls, ClientCertificates mode = ClientCertificates::required) {
  ServerOptions o;
  o.tls = tls.server(mode);
  o.readTimeout = 2s;
  return o;
}

std::string field(const std::string& body, int index) {
  std::size_t start = 0;
  for (int i = 0; i < index; ++i) start = body.find('|', start) + 1;
  return body.substr(start, body.find('|', start) - start);
}

TEST(Http, PlainHttpEchoAndKeepAliveReuse) {
  ServerOptions o;
  Echo echo(o);
  ClientOptions c;
  HttpClient client(c);
  const auto a = client.postSync(echo.url("/echo", false), "application/set-payment", "one");
  const auto b = client.postSync(echo.url("/echo", false), "Application/Set-Payment; charset=binary", "two");
  EXPECT_EQ(a.status, 200u);
  EXPECT_EQ(field(a.body, 0), "one");
  EXPECT_EQ(field(b.body, 0), "two");
  EXPECT_EQ(field(a.body, 1), field(b.body, 1)) << "the second request did not reuse the connection";
  EXPECT_EQ(client.getSync(echo.url("/healthz", false)).body, "ok\n");
  EXPECT_EQ(client.getSync(echo.url("/nothing", false)).status, 404u);
  EXPECT_EQ(client.getSync(echo.url("/echo", false)).status, 405u);
}

TEST(Http, TlsWithARequiredClientCertificate) {
  Tls tls;
  Echo echo(withTls(tls));
  HttpClient client(tls.client());
  const auto r = client.postSync(echo.url(), "application/set-payment", "hello");
  EXPECT_EQ(field(r.body, 0), "hello");
  EXPECT_NE(field(r.body, 2).find("CN=merchant"), std::string::npos) << r.body;
  HttpClient anonymous(tls.client(false));
  EXPECT_EQ(test_support::thrownMessage<TransportError>(
                [&] { anonymous.postSync(echo.url(), "application/set-payment", "x"); }),
            "read: tlsv13 alert certificate required (SSL routines)");
}

TEST(Http, TheClientVerifiesTheServerAgainstItsCa) {
  Tls tls, other;
  Echo echo(withTls(tls, ClientCertificates::none));
  HttpClient trusting(tls.client(false));
  EXPECT_EQ(trusting.getSync(echo.url("/healthz")).status, 200u);
  EXPECT_EQ(trusting.getSync("https://localhost:" + std::to_string(echo.port) + "/healthz").status, 200u);
  HttpClient stranger(other.client(false));  // another CA: the server's certificate is not trusted
  EXPECT_EQ(test_support::thrownMessage<TransportError>([&] { stranger.getSync(echo.url("/healthz")); }),
            "TLS handshake: certificate verify failed (SSL routines)");
}

TEST(Http, BodyLimitAndContentType) {
  ServerOptions o;
  o.maxBodyBytes = 4096;
  Echo echo(o);
  HttpClient client;
  EXPECT_EQ(client.postSync(echo.url("/echo", false), "application/set-payment", std::string(5000, 'x')).status, 413u);
  EXPECT_EQ(client.postSync(echo.url("/echo", false), "application/set-payment", std::string(4096, 'x')).status, 200u);
  EXPECT_EQ(client.postSync(echo.url("/echo", false), "text/plain", "x").status, 415u);
  EXPECT_EQ(client.postSync(echo.url("/echo", false), "application/set-payment", "still serving").status, 200u);
}

TEST(Http, AtTheConnectionLimitIdleConnectionsMakeRoom) {
  ServerOptions o;
  o.maxConnections = 4;
  Echo echo(o);
  std::vector<int> idle;
  for (int i = 0; i < 12; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(echo.port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    idle.push_back(fd);
  }
  std::this_thread::sleep_for(200ms);
  HttpClient client;
  EXPECT_EQ(client.postSync(echo.url("/echo", false), "application/set-payment", "served").status, 200u);
  const std::string metrics = client.getSync(echo.url("/metrics", false)).body;
  EXPECT_NE(metrics.find("setpay_http_connections_evicted_total{service=\"test\"} "), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("setpay_http_connections_evicted_total{service=\"test\"} 0"), std::string::npos) << metrics;
  for (int fd : idle) ::close(fd);
}

TEST(Http, StopDrainsARequestInFlight) {
  ServerOptions o;
  auto echo = std::make_unique<Echo>(o);
  echo->delay = 400ms;
  HttpClient client;
  std::promise<ClientResult> answer;
  client.post(echo->url("/echo", false), "application/set-payment", "late", [&](ClientResult r) { answer.set_value(r); });
  std::this_thread::sleep_for(100ms);  // in the handler now
  echo->server.stop();
  EXPECT_TRUE(echo->server.run());     // drained in time
  const ClientResult r = answer.get_future().get();
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(field(r.response.body, 0), "late");
  EXPECT_EQ(test_support::thrownMessage<TransportError>([&] { client.getSync(echo->url("/healthz", false)); }),
            "connect: Connection refused");  // no longer listening
}

}  // namespace
}  // namespace setpay::runtime
