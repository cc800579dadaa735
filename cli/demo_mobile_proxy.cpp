#include "cli/demo_mobile_proxy.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <fstream>
#include <mutex>

#include "cli/output.hpp"
#include "cli/service_configs.hpp"
#include "protocol/text/scrub.hpp"
#include "runtime/http_server.hpp"
#include "runtime/log.hpp"
#include "runtime/metrics.hpp"
#include "runtime/work_queue.hpp"

namespace setpay::cli::demo {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using protocol::safeText;

// The shop's plain-HTTP front: POST /orders → the merchant's own POST /orders over HTTPS, passed on.
struct GatewayProxySide::Front {
  Front(const fs::path& log, std::string merchant, const runtime::ClientOptions& options)
      : log_(runtime::LogOptions{"shop-front", runtime::LogFormat::human, runtime::LogLevel::info, log}),
        merchantUrl(std::move(merchant)),
        client(options) {
    server = std::make_unique<runtime::HttpServer>(runtime::ServerOptions{}, log_, metrics_);
    server->route("POST", "/orders", {"application/json"}, [this](runtime::HttpRequest r, runtime::Respond respond) {
      work.post([this, body = std::move(r.body), respond = std::move(respond)] {
        try {
          const auto m = client.postSync(merchantUrl + "/orders", "application/json", body);
          if (m.status == 200) {
            const std::lock_guard lock(mutex);
            lastWakeUp = m.body;
          }
          respond({m.status, m.contentType, m.body});
        } catch (const std::exception& e) {
          respond({502, "text/plain", std::string("the shop cannot reach its merchant server: ") + e.what() + "\n"});
        }
      });
    });
    port = server->start(false);
  }
  ~Front() {
    server->stop();
    server->run();
  }
  runtime::Logger log_;
  runtime::Metrics metrics_{"shop-front"};
  std::string merchantUrl;
  runtime::HttpClient client;
  runtime::WorkQueue work{1};
  std::unique_ptr<runtime::HttpServer> server;
  std::uint16_t port = 0;
  mutable std::mutex mutex;
  std::string lastWakeUp;
};

namespace {

// One HTTP/1.1 request in absolute form to the proxy, from the handset's address.
Fetched throughProxy(std::uint16_t proxyPort, http::verb verb, const std::string& url, const std::string& contentType,
                     const std::string& body) {
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) throw std::runtime_error("not an absolute URL: " + url);
  boost::asio::io_context io;
  boost::beast::tcp_stream stream(io);
  stream.socket().open(tcp::v4());
  stream.socket().bind(tcp::endpoint(boost::asio::ip::make_address(kHandsetAddress), 0));
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), proxyPort));
  http::request<http::string_body> req{verb, url, 11};
  req.set(http::field::host, parsed->encoded_host_and_port());
  req.set(http::field::user_agent, "setpay-demo-handset");
  req.set(http::field::connection, "close");
  if (!contentType.empty()) req.set(http::field::content_type, contentType);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  boost::beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return {res.result_int(), std::string(res[http::field::content_type]), res.body()};
}

}  // namespace

GatewayProxySide::GatewayProxySide(System& s, const std::string& radclient) : s_(s) {
  GatewayProxyConfigOptions o;
  o.port = 0;
  o.accountingPort = 0;
  o.portFile = (s.dir / "redirector-gw" / "port").string();
  o.accountingPortFile = (s.dir / "redirector-gw" / "accounting-port").string();
  o.walletPortFile = (s.dir / "wallet" / "port").string();
  o.accessNetworks = {"127.0.0.1/32"};  // the demo's access network (its NAS): radclient on loopback
  writeGatewayProxyConfig(s.dir, o);
  const std::vector<std::string> enroll{"wallet", "enroll-sender", "--config", s.file("wallet.toml").string(), "--msisdn", kMsisdn,
                                        "--sender-id", o.senderId, "--key", (s.dir / "redirector-gw" / "pub.pem").string()};
  runCli(s, enroll, command(enroll));

  const std::vector<std::string> args{"redirector", "--mode", "gateway-proxy", "--config", s.file("redirector-gw.toml").string()};
  proxy_ = std::make_unique<Process>(args, s.file("redirector-gw.log"));
  proxyPort_ = proxy_->waitForPortFile(*o.portFile);
  const std::uint16_t accounting = proxy_->waitForPortFile(*o.accountingPortFile);
  printOut("{} &   # pid {}, HTTP proxy http://127.0.0.1:{}, RADIUS accounting udp 127.0.0.1:{} (access network 127.0.0.1/32)\n",
           command(args), proxy_->pid(), proxyPort_, accounting);

  // The access network's Accounting-Start: 127.0.0.2 is the subscriber kMsisdn (RFC 2866).
  const fs::path attrs = s.file("accounting-start.txt");
  {
    std::ofstream out(attrs);
    out << "Acct-Status-Type = Start\nFramed-IP-Address = " << kHandsetAddress << "\nCalling-Station-Id = \"" << kMsisdn
        << "\"\nAcct-Session-Id = \"demo-session-1\"\n";
  }
  const std::vector<std::string> rad{"-f", attrs.string(), "-S", (s.dir / "redirector-gw" / "radius-secret").string(), "-r", "1", "-t", "3",
                                     "127.0.0.1:" + std::to_string(accounting), "acct"};
  Process sent(Program{radclient}, rad, s.file("radclient.log"));
  const auto st = sent.wait(std::chrono::seconds(15));
  std::string shown = "$ radclient";
  for (const auto& a : rad) shown += " " + safeText(a.rfind(s.dir.string() + "/", 0) == 0 ? a.substr(s.dir.string().size() + 1) : a);
  printOut("{}   # Accounting-Start: Framed-IP-Address {} <-> Calling-Station-Id {}; {}\n", shown, kHandsetAddress, kMsisdn,
           st ? st->text() : "no answer");
  if (!st || !st->ok())
    throw std::runtime_error("radclient's Accounting-Start was not answered (" + (st ? st->text() : std::string("timeout")) + "); see " +
                             s.file("radclient.log").string() + " and " + s.file("redirector-gw.log").string());

  runtime::ClientOptions options;
  options.caFile = s.dir / "tls" / "ca.pem";
  front_ = std::make_unique<Front>(s.file("shop-front.log"), s.merchantUrl, options);
  printOut("  the shop's plain-HTTP front {} (in the demo): POST /orders -> the merchant's HTTPS POST /orders, passed on "
           "(a proxy cannot divert inside CONNECT); the handset's browser at {} uses the proxy\n",
           frontUrl(), kHandsetAddress);
}

GatewayProxySide::~GatewayProxySide() = default;

Fetched GatewayProxySide::order(const std::string& json) {
  return throughProxy(proxyPort_, http::verb::post, frontUrl() + "/orders", "application/json", json);
}

Fetched GatewayProxySide::get(const std::string& url) { return throughProxy(proxyPort_, http::verb::get, url, "", ""); }

std::string GatewayProxySide::lastWakeUp() const {
  const std::lock_guard lock(front_->mutex);
  return front_->lastWakeUp;
}

std::string GatewayProxySide::frontUrl() const { return "http://127.0.0.1:" + std::to_string(front_->port); }

pid_t GatewayProxySide::pid() const { return proxy_->pid(); }

std::string GatewayProxySide::stop(bool& clean) {
  const pid_t pid = proxy_->pid();
  const ExitStatus st = proxy_->stop();
  clean = st.ok();
  return "redirector (gateway-proxy) pid " + std::to_string(pid) + " (SIGTERM) " + st.text();
}

}  // namespace setpay::cli::demo
