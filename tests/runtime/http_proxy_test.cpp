// runtime's forward proxy (http_proxy.hpp) on loopback with raw sockets on both sides, so the exact
// bytes are seen: absolute-form → origin-form, hop-by-hop and Connection-named headers dropped, the
// `before` / `divert` / `local` hooks (divert answered later from another thread), CONNECT tunnelled
// byte for byte, and each refusal with its status (400, 403, 413, 502).
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "runtime/http_proxy.hpp"
#include "runtime/log.hpp"
#include "tests/support/scratch.hpp"

namespace setpay::runtime {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

int connectTo(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

void sendAll(int fd, const std::string& s) {
  for (std::size_t at = 0; at < s.size();) {
    const ssize_t n = ::send(fd, s.data() + at, s.size() - at, MSG_NOSIGNAL);
    if (n <= 0) return;
    at += static_cast<std::size_t>(n);
  }
}

// Reads until `until` appears (or EOF / timeout when empty).
std::string readFrom(int fd, const std::string& until = "") {
  std::string out;
  char buffer[4096];
  while (until.empty() || !contains(out, until)) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

// One raw request through the proxy (the client closes its side after the answer).
std::string roundTrip(std::uint16_t proxyPort, const std::string& request) {
  const int fd = connectTo(proxyPort);
  if (fd < 0) return "no connection";
  sendAll(fd, request);
  const std::string answer = readFrom(fd);
  ::close(fd);
  return answer;
}

// An origin on loopback: records each request's header block and answers `response`, then closes.
class RawOrigin {
 public:
  explicit RawOrigin(std::string response) : response_(std::move(response)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener_, 8) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("origin socket");
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int c = ::accept(listener_, nullptr, nullptr);
        if (c < 0 || stop_) {
          if (c >= 0) ::close(c);
          return;
        }
        timeval tv{5, 0};
        ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        const std::string request = readFrom(c, "\r\n\r\n");
        {
          const std::lock_guard lock(mutex_);
          requests_.push_back(request);
        }
        sendAll(c, response_);
        ::shutdown(c, SHUT_WR);
        readFrom(c);  // until the proxy closes
        ::close(c);
      }
    });
  }
  ~RawOrigin() {
    stop_ = true;
    const int fd = connectTo(port_);  // wakes accept()
    if (fd >= 0) ::close(fd);
    thread_.join();
    ::close(listener_);
  }
  std::uint16_t port() const { return port_; }
  std::string lastRequest() const {
    const std::lock_guard lock(mutex_);
    return requests_.empty() ? "" : requests_.back();
  }

 private:
  std::string response_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

const char* const kOriginAnswer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\nKeep-Alive: timeout=5\r\n\r\norigin";

struct Proxy {
  explicit Proxy(ProxyHandlers h = {}, ProxyOptions o = {})
      : log(LogOptions{"proxy-test", LogFormat::human, LogLevel::info, dir.path() / "proxy.log"}), proxy(std::move(o), std::move(h), log) {
    port = proxy.start();
  }
  test_support::TempDir dir{"setpay-proxy"};
  Logger log;
  HttpProxy proxy;
  std::uint16_t port = 0;
};

std::string get(std::uint16_t originPort, const std::string& path, const std::string& extra = "", const std::string& connection = "close") {
  return "GET http://127.0.0.1:" + std::to_string(originPort) + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(originPort) +
         "\r\n" + extra + "Connection: " + connection + "\r\n\r\n";
}

TEST(HttpProxy, ForwardsInOriginFormWithoutHopByHopHeaders) {
  RawOrigin origin(kOriginAnswer);
  Proxy p;
  const std::string answer = roundTrip(p.port, get(origin.port(), "/p?q=1", "Proxy-Connection: keep-alive\r\nX-Secret: s\r\nX-Keep: k\r\n",
                                         "close, X-Secret"));
  EXPECT_TRUE(contains(answer, "HTTP/1.1 200 OK\r\n")) << answer;
  EXPECT_TRUE(contains(answer, "\r\n\r\norigin")) << answer;
  EXPECT_FALSE(contains(answer, "Keep-Alive")) << answer;  // the origin's hop-by-hop header stays behind
  const std::string seen = origin.lastRequest();
  EXPECT_EQ(seen.substr(0, seen.find("\r\n")), "GET /p?q=1 HTTP/1.1");
  EXPECT_TRUE(contains(seen, "X-Keep: k\r\n")) << seen;
  EXPECT_TRUE(contains(seen, "Host: 127.0.0.1:" + std::to_string(origin.port()))) << seen;
  EXPECT_TRUE(contains(seen, "Connection: close\r\n")) << seen;
  EXPECT_FALSE(contains(seen, "X-Secret")) << seen;
  EXPECT_FALSE(contains(seen, "Proxy-Connection")) << seen;
}

TEST(HttpProxy, BeforeEditsHeadersOrAnswersItself) {
  RawOrigin origin(kOriginAnswer);
  std::string peerSeen;
  Proxy p(ProxyHandlers{[&](ProxiedRequest& r) -> std::optional<HttpResponse> {
                          peerSeen = r.peer;
                          std::erase_if(r.headers, [](const auto& h) { return h.first == "X-Drop"; });
                          if (contains(r.url, "/blocked")) return HttpResponse{451, "text/plain", "no\n"};
                          return std::nullopt;
                        },
                        {}, {}});
  roundTrip(p.port, get(origin.port(), "/a", "X-Drop: 1\r\n"));
  EXPECT_FALSE(contains(origin.lastRequest(), "X-Drop")) << origin.lastRequest();
  EXPECT_EQ(peerSeen, "127.0.0.1");
  const std::string answer = roundTrip(p.port, get(origin.port(), "/blocked"));
  EXPECT_TRUE(contains(answer, "HTTP/1.1 451")) << answer;
  EXPECT_TRUE(contains(origin.lastRequest(), "GET /a ")) << "the blocked request never reached the origin";
}

TEST(HttpProxy, DivertReplacesAResponseByItsMediaTypeAnsweredFromAnotherThread) {
  RawOrigin origin("HTTP/1.1 200 OK\r\nContent-Type: Application/Set-Payment-Initiation; x=y\r\nContent-Length: 4\r\n\r\nWAKE");
  std::vector<std::thread> later;
  std::string divertedBody;
  Proxy p(ProxyHandlers{{},
                        [&](const ProxiedRequest&, const OriginResponse& o, Respond respond) {
                          if (o.contentType != "application/set-payment-initiation") return false;
                          divertedBody = o.body;
                          later.emplace_back([respond] {
                            std::this_thread::sleep_for(50ms);
                            respond({200, "text/html", "<p>diverted</p>"});
                          });
                          return true;
                        },
                        {}});
  const std::string answer = roundTrip(p.port, get(origin.port(), "/wake"));
  for (auto& t : later) t.join();
  EXPECT_EQ(divertedBody, "WAKE");
  EXPECT_TRUE(contains(answer, "<p>diverted</p>")) << answer;
  EXPECT_FALSE(contains(answer, "WAKE")) << answer;
}

TEST(HttpProxy, LocalPagesByOriginFormOrTheReservedHost) {
  std::vector<std::string> targets;
  Proxy p(ProxyHandlers{{}, {}, [&](HttpRequest r, Respond respond) {
                          targets.push_back(r.target + " from " + r.remote);
                          respond({200, "text/plain", "local\n"});
                        }});
  EXPECT_TRUE(contains(roundTrip(p.port, "GET /x?id=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), "local"));
  EXPECT_TRUE(contains(roundTrip(p.port, "GET http://redirector.setpay.invalid/purchase?id=2 HTTP/1.1\r\nHost: redirector.setpay.invalid\r\n"
                                        "Connection: close\r\n\r\n"),
                       "local"));
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0], "/x?id=1 from 127.0.0.1");
  EXPECT_EQ(targets[1], "/purchase?id=2 from 127.0.0.1");
}

TEST(HttpProxy, ConnectTunnelsBytesUntouched) {
  RawOrigin origin("\x16\x03\x01 not HTTP at all");
  Proxy p;
  const int fd = connectTo(p.port);
  ASSERT_GE(fd, 0);
  sendAll(fd, "CONNECT 127.0.0.1:" + std::to_string(origin.port()) + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(readFrom(fd, "\r\n\r\n"), "HTTP/1.1 200 Connection Established\r\n\r\n");
  sendAll(fd, "client hello\r\n\r\n");
  const std::string back = readFrom(fd);
  ::close(fd);
  EXPECT_EQ(back, "\x16\x03\x01 not HTTP at all");
  EXPECT_EQ(origin.lastRequest(), "client hello\r\n\r\n");
}

TEST(HttpProxy, RefusalsCarryTheirStatus) {
  RawOrigin origin(kOriginAnswer);
  ProxyOptions o;
  o.allowedHosts = {"127.0.0.1"};
  o.maxBodyBytes = 16;
  Proxy p({}, o);
  EXPECT_TRUE(contains(roundTrip(p.port, "GET https://127.0.0.1/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), "HTTP/1.1 400")) << "https is CONNECT's";
  EXPECT_TRUE(contains(roundTrip(p.port, "GET http://localhost:1/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), "HTTP/1.1 403"));
  EXPECT_TRUE(contains(roundTrip(p.port, "CONNECT localhost:443 HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 403"));
  EXPECT_TRUE(contains(roundTrip(p.port, "CONNECT nonsense HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 400"));
  EXPECT_TRUE(contains(roundTrip(p.port, "POST http://127.0.0.1:" + std::to_string(origin.port()) +
                                            "/ HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n12345678901234567"),
                       "HTTP/1.1 413"));
  const int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);  // a port with no listener: bound, never listening
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ASSERT_EQ(::bind(probe, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::getsockname(probe, reinterpret_cast<sockaddr*>(&a), &len), 0);
  const std::string answer = roundTrip(p.port, get(ntohs(a.sin_port), "/"));
  ::close(probe);
  EXPECT_TRUE(contains(answer, "HTTP/1.1 502")) << answer;
  EXPECT_TRUE(contains(answer, "origin unreachable")) << answer;
}

}  // namespace
}  // namespace setpay::runtime
