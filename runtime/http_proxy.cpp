#include "runtime/http_proxy.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>

#include "runtime/log.hpp"

namespace setpay::runtime {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Response = http::response<http::string_body>;
using Request = http::request<http::string_body>;

namespace {

constexpr auto kAwait = net::use_awaitable;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// RFC 9110 §7.6.1: hop-by-hop headers and those the Connection header names are not forwarded.
// Content-Length is recomputed for the body sent on.
template <class Fields>
HeaderFields endToEnd(const Fields& fields) {
  std::vector<std::string> named{"connection", "proxy-connection", "keep-alive", "te", "trailer", "transfer-encoding",
                                 "upgrade", "proxy-authorization", "proxy-authenticate", "content-length"};
  for (auto range = fields.equal_range(http::field::connection); range.first != range.second; ++range.first) {
    const std::string v(range.first->value());
    std::size_t at = 0;
    while (at <= v.size()) {
      const std::size_t comma = std::min(v.find(',', at), v.size());
      std::string token = v.substr(at, comma - at);
      token.erase(0, token.find_first_not_of(" \t"));
      token.erase(token.find_last_not_of(" \t") + 1);
      if (!token.empty()) named.push_back(lower(token));
      at = comma + 1;
    }
  }
  HeaderFields out;
  for (const auto& f : fields) {
    const std::string name = lower(f.name_string());
    if (std::find(named.begin(), named.end(), name) == named.end()) out.emplace_back(std::string(f.name_string()), std::string(f.value()));
  }
  return out;
}

Response toBeast(const HttpResponse& r, unsigned version) {
  Response res{static_cast<http::status>(r.status), version};
  res.set(http::field::server, "setpay-redirector");
  res.set(http::field::content_type, r.contentType);
  res.set(http::field::cache_control, "no-store");
  res.body() = r.body;
  res.prepare_payload();
  return res;
}

Response text(unsigned status, const std::string& body, unsigned version) {
  return toBeast(HttpResponse{status, "text/plain; charset=utf-8", body + "\n"}, version);
}

// "host:port" of a CONNECT (RFC 9110 §9.3.6), host possibly "[v6]".
std::optional<std::pair<std::string, std::string>> authorityOf(std::string_view target) {
  const std::size_t colon = target.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == target.size()) return std::nullopt;
  std::string host(target.substr(0, colon));
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port(target.substr(colon + 1));
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) || port.size() > 5) return std::nullopt;
  return std::make_pair(host, port);
}

}  // namespace

struct HttpProxy::Impl {
  Impl(ProxyOptions o, ProxyHandlers h, Logger& l) : options(std::move(o)), handlers(std::move(h)), log(l) {}

  // A handler's answer, awaited by the session on its strand: the handler posts the answer to the
  // strand, which cancels the session's timer (so the two never race).
  struct Waiter {
    net::any_io_executor strand;
    std::optional<HttpResponse> result;
    net::steady_timer* timer = nullptr;
  };
  struct Life {
    std::mutex mutex;
    bool running = true;
  };
  struct Tunnel {
    beast::tcp_stream client, origin;
  };

  Respond respondTo(const std::shared_ptr<Waiter>& w) {
    return [life = life, w](HttpResponse r) {
      const std::lock_guard lock(life->mutex);
      if (!life->running) return;
      net::post(w->strand, [w, r = std::move(r)]() mutable {
        if (w->result) return;
        w->result = std::move(r);
        if (w->timer) w->timer->cancel();
      });
    };
  }

  net::awaitable<HttpResponse> wait(std::shared_ptr<Waiter> w) {
    net::steady_timer timer(co_await net::this_coro::executor);
    timer.expires_after(options.originTimeout);
    if (!w->result) {
      w->timer = &timer;
      boost::system::error_code ec;
      co_await timer.async_wait(net::redirect_error(kAwait, ec));
      w->timer = nullptr;
    }
    if (w->result) co_return std::move(*w->result);
    co_return HttpResponse{504, "text/plain; charset=utf-8", "no answer in time\n"};
  }

  bool allowed(const std::string& host) const {
    if (options.allowedHosts.empty()) return true;
    const std::string h = lower(host);
    return std::any_of(options.allowedHosts.begin(), options.allowedHosts.end(), [&](const std::string& a) { return lower(a) == h; });
  }

  net::awaitable<Response> local(const Request& req, const std::string& target, const std::string& peer) {
    if (!handlers.local) co_return text(404, "not found", req.version());
    HttpRequest r{std::string(req.method_string()), target, mediaType(req[http::field::content_type]), req.body(), peer,
                  std::nullopt, std::chrono::steady_clock::now()};
    auto w = std::make_shared<Waiter>();
    w->strand = co_await net::this_coro::executor;
    handlers.local(std::move(r), respondTo(w));
    co_return toBeast(co_await wait(w), req.version());
  }

  net::awaitable<std::optional<Response>> forward(const ProxiedRequest& pr, const std::string& target, std::string& error) {
    const auto executor = co_await net::this_coro::executor;
    tcp::resolver resolver(executor);
    beast::tcp_stream origin(executor);
    boost::system::error_code ec;
    origin.expires_after(options.originTimeout);
    const auto endpoints = co_await resolver.async_resolve(pr.host, std::to_string(pr.port), net::redirect_error(kAwait, ec));
    if (ec) {
      error = "cannot resolve " + pr.host + ": " + ec.message();
      co_return std::nullopt;
    }
    co_await origin.async_connect(endpoints, net::redirect_error(kAwait, ec));
    if (ec) {
      error = "cannot connect to " + pr.host + ":" + std::to_string(pr.port) + ": " + ec.message();
      co_return std::nullopt;
    }
    Request req;
    req.method_string(pr.method);
    req.target(target);
    req.version(11);
    for (const auto& [name, value] : pr.headers) req.insert(name, value);
    req.set(http::field::connection, "close");
    req.body() = pr.body;
    if (!pr.body.empty() || pr.method == "POST" || pr.method == "PUT") req.prepare_payload();
    co_await http::async_write(origin, req, net::redirect_error(kAwait, ec));
    if (ec) {
      error = "write to origin: " + ec.message();
      co_return std::nullopt;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(options.maxResponseBytes);
    if (pr.method == "HEAD") parser.skip(true);
    co_await http::async_read(origin, buffer, parser, net::redirect_error(kAwait, ec));
    if (ec) {
      error = "read from origin: " + ec.message();
      co_return std::nullopt;
    }
    origin.socket().shutdown(tcp::socket::shutdown_both, ec);
    co_return parser.release();
  }

  net::awaitable<Response> answer(Request& req, const std::string& peer) {
    const std::string target(req.target());
    if (!target.empty() && target.front() == '/') co_return co_await local(req, target, peer);
    const auto url = boost::urls::parse_absolute_uri(target);
    if (!url || lower(url->scheme()) != "http" || url->host_address().empty())
      co_return text(400, "this proxy takes absolute http:// URLs (https goes through CONNECT)", req.version());
    const std::string host(url->host_address());
    std::string path(url->encoded_path());
    if (path.empty()) path = "/";
    if (url->has_query()) path += "?" + std::string(url->encoded_query());
    if (lower(host) == lower(options.localHost)) co_return co_await local(req, path, peer);
    if (!allowed(host)) {
      log.warn("proxy-refused", {{"peer", peer}, {"host", host}, {"why", "host not allowed"}});
      co_return text(403, "this proxy does not reach " + host, req.version());
    }
    ProxiedRequest pr{std::string(req.method_string()), target, host,
                      static_cast<std::uint16_t>(url->has_port() ? url->port_number() : 80), peer, endToEnd(req), req.body(), {}};
    if (handlers.before)
      if (auto a = handlers.before(pr)) co_return toBeast(*a, req.version());
    std::string error;
    auto origin = co_await forward(pr, path, error);
    if (!origin) {
      log.warn("proxy-origin-failed", {{"peer", peer}, {"url", pr.url}, {"what", error}});
      co_return text(502, "origin unreachable: " + error, req.version());
    }
    OriginResponse o{origin->result_int(), mediaType((*origin)[http::field::content_type]), endToEnd(*origin), origin->body()};
    if (handlers.divert) {
      auto w = std::make_shared<Waiter>();
      w->strand = co_await net::this_coro::executor;
      if (handlers.divert(pr, o, respondTo(w))) co_return toBeast(co_await wait(w), req.version());
    }
    Response res{static_cast<http::status>(o.status), req.version()};
    for (const auto& [name, value] : o.headers) res.insert(name, value);
    res.body() = std::move(origin->body());
    res.prepare_payload();
    co_return res;
  }

  net::awaitable<void> pump([[maybe_unused]] std::shared_ptr<Tunnel> keep, beast::tcp_stream& from, beast::tcp_stream& to) {
    std::vector<char> buffer(16 * 1024);
    boost::system::error_code ec;
    for (;;) {
      from.expires_after(options.tunnelIdle);
      const std::size_t n = co_await from.async_read_some(net::buffer(buffer), net::redirect_error(kAwait, ec));
      if (ec) break;
      to.expires_after(options.tunnelIdle);
      co_await net::async_write(to, net::buffer(buffer.data(), n), net::redirect_error(kAwait, ec));
      if (ec) break;
    }
    to.socket().shutdown(tcp::socket::shutdown_send, ec);
    from.socket().shutdown(tcp::socket::shutdown_receive, ec);
  }

  net::awaitable<void> tunnel(beast::tcp_stream client, beast::flat_buffer& buffer, const Request& req, const std::string& peer) {
    boost::system::error_code ec;
    const auto authority = authorityOf(req.target());
    std::optional<Response> refusal;
    if (!authority)
      refusal = text(400, "CONNECT host:port expected", req.version());
    else if (!allowed(authority->first)) {
      log.warn("proxy-refused", {{"peer", peer}, {"host", authority->first}, {"why", "CONNECT host not allowed"}});
      refusal = text(403, "this proxy does not reach " + authority->first, req.version());
    }
    const auto executor = co_await net::this_coro::executor;
    beast::tcp_stream origin(executor);
    if (!refusal) {
      tcp::resolver resolver(executor);
      origin.expires_after(options.originTimeout);
      const auto endpoints = co_await resolver.async_resolve(authority->first, authority->second, net::redirect_error(kAwait, ec));
      if (!ec) co_await origin.async_connect(endpoints, net::redirect_error(kAwait, ec));
      if (ec) refusal = text(502, "cannot connect to " + std::string(req.target()) + ": " + ec.message(), req.version());
    }
    if (refusal) {
      refusal->keep_alive(false);
      co_await http::async_write(client, *refusal, net::redirect_error(kAwait, ec));
      co_return;
    }
    log.info("proxy-tunnel", {{"peer", peer}, {"target", std::string(req.target())}});
    static constexpr std::string_view established = "HTTP/1.1 200 Connection Established\r\n\r\n";
    co_await net::async_write(client, net::buffer(established.data(), established.size()), net::redirect_error(kAwait, ec));
    if (!ec && buffer.size() > 0) co_await net::async_write(origin, buffer.data(), net::redirect_error(kAwait, ec));
    if (ec) co_return;
    auto t = std::make_shared<Tunnel>(Tunnel{std::move(client), std::move(origin)});
    net::co_spawn(executor, pump(t, t->origin, t->client), net::detached);
    co_await pump(t, t->client, t->origin);
  }

  net::awaitable<void> session(tcp::socket socket) {
    struct Count {
      std::atomic<std::size_t>& n;
      ~Count() { --n; }
    } count{connections};
    try {
      boost::system::error_code ec;
      const auto remote = socket.remote_endpoint(ec);
      if (ec) co_return;
      auto address = remote.address();
      if (address.is_v6() && address.to_v6().is_v4_mapped()) address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
      const std::string peer = address.to_string();
      beast::tcp_stream client(std::move(socket));
      beast::flat_buffer buffer;
      for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(16 * 1024);
        parser.body_limit(options.maxBodyBytes);
        client.expires_after(options.readTimeout);
        co_await http::async_read(client, buffer, parser, net::redirect_error(kAwait, ec));
        if (ec == http::error::body_limit) {
          auto tooBig = text(413, "request body too large", 11);
          tooBig.keep_alive(false);
          co_await http::async_write(client, tooBig, net::redirect_error(kAwait, ec));
          break;
        }
        if (ec) co_return;
        Request req = parser.release();
        if (req.method() == http::verb::connect) {
          co_await tunnel(std::move(client), buffer, req, peer);
          co_return;
        }
        Response res = co_await answer(req, peer);
        res.keep_alive(req.keep_alive());
        client.expires_after(options.readTimeout);
        co_await http::async_write(client, res, net::redirect_error(kAwait, ec));
        if (ec || !req.keep_alive()) break;
      }
      client.socket().shutdown(tcp::socket::shutdown_send, ec);
    } catch (const std::exception& e) {
      log.error("proxy-session-failed", {{"what", e.what()}});
    }
  }

  net::awaitable<void> acceptLoop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket s(net::make_strand(ioc));
      co_await acceptor.async_accept(s, net::redirect_error(kAwait, ec));
      if (ec) {
        if (!acceptor.is_open()) co_return;
        continue;
      }
      if (connections.load() >= options.maxConnections) {
        s.close(ec);
        continue;
      }
      ++connections;
      auto executor = s.get_executor();
      net::co_spawn(executor, session(std::move(s)), net::detached);
    }
  }

  ProxyOptions options;
  ProxyHandlers handlers;
  Logger& log;
  std::shared_ptr<Life> life = std::make_shared<Life>();
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::atomic<std::size_t> connections{0};
  std::vector<std::thread> threads;
  bool stopped = false;
};

HttpProxy::HttpProxy(ProxyOptions o, ProxyHandlers h, Logger& log) : impl_(std::make_shared<Impl>(std::move(o), std::move(h), log)) {}

HttpProxy::~HttpProxy() { stop(); }

std::uint16_t HttpProxy::start() {
  Impl& i = *impl_;
  const tcp::endpoint endpoint(net::ip::make_address(i.options.address), i.options.port);
  i.acceptor.open(endpoint.protocol());
  i.acceptor.set_option(tcp::acceptor::reuse_address(true));
  i.acceptor.bind(endpoint);
  i.acceptor.listen();
  const std::uint16_t port = i.acceptor.local_endpoint().port();
  if (i.options.portFile) {
    const auto tmp = i.options.portFile->string() + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::filesystem::rename(tmp, *i.options.portFile);
  }
  net::co_spawn(i.ioc, i.acceptLoop(), net::detached);
  for (unsigned t = 0; t < std::max(1u, i.options.threads); ++t) i.threads.emplace_back([&i] { i.ioc.run(); });
  return port;
}

void HttpProxy::stop() {
  Impl& i = *impl_;
  if (i.stopped) return;
  i.stopped = true;
  {
    const std::lock_guard lock(i.life->mutex);
    i.life->running = false;  // answers arriving from now on are dropped
  }
  net::post(i.ioc, [&i] {
    boost::system::error_code ec;
    i.acceptor.close(ec);
  });
  i.ioc.stop();
  for (auto& t : i.threads) t.join();
  i.threads.clear();
}

}  // namespace setpay::runtime
