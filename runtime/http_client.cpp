#include "runtime/http_client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "runtime/detail/tls_context.hpp"

namespace setpay::runtime {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

struct Target {
  bool tls = false;
  std::string host, port, pathAndQuery;
  std::string key() const { return (tls ? "https://" : "http://") + host + ":" + port; }
};

Target parseUrl(const std::string& url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) throw TransportError("bad URL '" + url + "': " + parsed.error().message());
  Target t;
  const std::string scheme(parsed->scheme());
  if (scheme == "https")
    t.tls = true;
  else if (scheme != "http")
    throw TransportError("URL scheme must be http or https: " + url);
  t.host = std::string(parsed->host_address());
  if (t.host.empty()) throw TransportError("URL without a host: " + url);
  t.port = parsed->has_port() ? std::string(parsed->port()) : (t.tls ? "443" : "80");
  t.pathAndQuery = std::string(parsed->encoded_path());
  if (t.pathAndQuery.empty()) t.pathAndQuery = "/";
  if (parsed->has_query()) t.pathAndQuery += "?" + std::string(parsed->encoded_query());
  return t;
}

bool isAddress(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

// Errors that mean "the server had already closed this kept-alive connection".
bool stale(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == ssl::error::stream_truncated || ec == http::error::partial_message;
}

struct Exchange {
  Target target;
  http::request<http::string_body> request;
  std::function<void(ClientResult)> done;
  bool retried = false;
};

class Link {
 public:
  virtual ~Link() = default;
  virtual void run(std::shared_ptr<Exchange>, bool reused) = 0;
  std::chrono::steady_clock::time_point idleSince{};
};

}  // namespace

struct HttpClient::Impl {
  explicit Impl(ClientOptions o)
      : options(std::move(o)), tls(detail::clientContext(options)), ioc(1), work(net::make_work_guard(ioc)) {}

  void start(std::shared_ptr<Exchange> ex);
  void fresh(std::shared_ptr<Exchange> ex);
  void giveBack(const std::string& key, std::shared_ptr<Link> link) {
    const std::lock_guard lock(mutex);
    auto& list = idle[key];
    if (list.size() >= options.maxIdlePerHost) return;  // dropped: its destructor closes it
    link->idleSince = std::chrono::steady_clock::now();
    list.push_back(std::move(link));
  }
  std::shared_ptr<Link> takeIdle(const std::string& key) {
    const std::lock_guard lock(mutex);
    auto& list = idle[key];
    const auto now = std::chrono::steady_clock::now();
    while (!list.empty()) {
      auto link = std::move(list.back());
      list.pop_back();
      if (now - link->idleSince < options.idleTimeout) return link;
    }
    return nullptr;
  }

  // Order matters on destruction: pending handlers (owning links) die with the io_context, and
  // their TLS streams still need the context.
  ClientOptions options;
  ssl::context tls;
  net::io_context ioc;
  net::executor_work_guard<net::io_context::executor_type> work;
  std::mutex mutex;
  std::map<std::string, std::vector<std::shared_ptr<Link>>> idle;
  std::vector<std::thread> threads;
};

namespace {

template <bool Tls>
class LinkOf final : public Link, public std::enable_shared_from_this<LinkOf<Tls>> {
  using Stream = std::conditional_t<Tls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

 public:
  explicit LinkOf(HttpClient::Impl& client)
      : client_(&client), strand_(net::make_strand(client.ioc)), resolver_(strand_), stream_(make(client, strand_)) {}

  void run(std::shared_ptr<Exchange> ex, bool reused) override {
    net::dispatch(strand_, [self = this->shared_from_this(), ex = std::move(ex), reused]() mutable {
      self->ex_ = std::move(ex);
      self->reused_ = reused;
      if (self->connected_)
        self->send();
      else
        self->resolve();
    });
  }

 private:
  static Stream make(HttpClient::Impl& client, const net::strand<net::io_context::executor_type>& strand) {
    if constexpr (Tls)
      return Stream(strand, client.tls);
    else
      return Stream(strand);
  }
  const ClientOptions& options() const { return client_->options; }

  void resolve() {
    resolver_.async_resolve(ex_->target.host, ex_->target.port,
                            [self = this->shared_from_this()](boost::system::error_code ec, tcp::resolver::results_type r) {
                              if (ec) return self->fail(ec, "resolve");
                              beast::get_lowest_layer(self->stream_).expires_after(self->options().connectTimeout);
                              beast::get_lowest_layer(self->stream_).async_connect(
                                  r, [self](boost::system::error_code e, const tcp::endpoint&) { self->onConnect(e); });
                            });
  }

  void onConnect(boost::system::error_code ec) {
    if (ec) return fail(ec, "connect");
    if constexpr (Tls) {
      const std::string& host = ex_->target.host;
      if (!isAddress(host))  // SNI: names only (SSL_set_tlsext_host_name, without its C cast)
        SSL_ctrl(stream_.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(host.c_str()));
      stream_.set_verify_callback(ssl::host_name_verification(host));
      beast::get_lowest_layer(stream_).expires_after(options().requestTimeout);
      stream_.async_handshake(ssl::stream_base::client, [self = this->shared_from_this()](boost::system::error_code e) {
        if (e) return self->fail(e, "TLS handshake");
        self->connected_ = true;
        self->send();
      });
    } else {
      connected_ = true;
      send();
    }
  }

  void send() {
    beast::get_lowest_layer(stream_).expires_after(options().requestTimeout);
    http::async_write(stream_, ex_->request, [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
      if (ec) return self->fail(ec, "write");
      self->parser_.emplace();
      self->parser_->body_limit(self->options().maxResponseBytes);
      http::async_read(self->stream_, self->buffer_, *self->parser_,
                       [self](boost::system::error_code e, std::size_t) { self->onRead(e); });
    });
  }

  void onRead(boost::system::error_code ec) {
    if (ec) return fail(ec, "read");
    beast::get_lowest_layer(stream_).expires_never();
    auto message = parser_->release();
    ClientResult result;
    result.response.status = message.result_int();
    result.response.contentType = std::string(message[http::field::content_type]);
    result.response.body = std::move(message.body());
    const bool keep = message.keep_alive();
    auto ex = std::move(ex_);
    if (keep) client_->giveBack(ex->target.key(), this->shared_from_this());
    ex->done(std::move(result));
  }

  void fail(boost::system::error_code ec, const char* stage) {
    auto ex = std::move(ex_);
    connected_ = false;
    if (reused_ && !ex->retried && stale(ec)) {  // the server closed it while it sat in the pool
      ex->retried = true;
      return client_->fresh(std::move(ex));
    }
    ClientResult r;
    r.error = std::string(stage) + ": " + (ec == beast::error::timeout ? std::string("timed out") : ec.message());
    ex->done(std::move(r));
  }

  HttpClient::Impl* client_;
  net::strand<net::io_context::executor_type> strand_;
  tcp::resolver resolver_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  std::shared_ptr<Exchange> ex_;
  bool connected_ = false, reused_ = false;
};

}  // namespace

void HttpClient::Impl::fresh(std::shared_ptr<Exchange> ex) {
  std::shared_ptr<Link> link;
  if (ex->target.tls)
    link = std::make_shared<LinkOf<true>>(*this);
  else
    link = std::make_shared<LinkOf<false>>(*this);
  link->run(std::move(ex), false);
}

void HttpClient::Impl::start(std::shared_ptr<Exchange> ex) {
  if (auto link = takeIdle(ex->target.key())) return link->run(std::move(ex), true);
  fresh(std::move(ex));
}

HttpClient::HttpClient(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  for (unsigned i = 0; i < std::max(1u, impl_->options.threads); ++i) impl_->threads.emplace_back([impl = impl_.get()] {
    impl->ioc.run();
  });
}

HttpClient::~HttpClient() {
  impl_->work.reset();
  impl_->ioc.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

namespace {
std::shared_ptr<Exchange> exchange(const std::string& url, http::verb verb, std::string contentType, std::string body,
                                   std::function<void(ClientResult)> done) {
  auto ex = std::make_shared<Exchange>();
  ex->target = parseUrl(url);
  ex->request = http::request<http::string_body>(verb, ex->target.pathAndQuery, 11);
  ex->request.set(http::field::host, ex->target.host + ":" + ex->target.port);
  ex->request.set(http::field::user_agent, "setpay");
  if (verb == http::verb::post || !contentType.empty()) {
    ex->request.set(http::field::content_type, contentType);
    ex->request.body() = std::move(body);
  }
  ex->request.keep_alive(true);
  ex->request.prepare_payload();
  ex->done = std::move(done);
  return ex;
}

HttpResponse waitFor(std::future<ClientResult> f) {
  ClientResult r = f.get();
  if (!r.ok()) throw TransportError(r.error);
  return std::move(r.response);
}
}  // namespace

void HttpClient::post(const std::string& url, std::string contentType, std::string body,
                      std::function<void(ClientResult)> done) {
  impl_->start(exchange(url, http::verb::post, std::move(contentType), std::move(body), std::move(done)));
}

void HttpClient::get(const std::string& url, std::function<void(ClientResult)> done) {
  impl_->start(exchange(url, http::verb::get, {}, {}, std::move(done)));
}

HttpResponse HttpClient::postSync(const std::string& url, std::string contentType, std::string body) {
  auto promise = std::make_shared<std::promise<ClientResult>>();
  auto future = promise->get_future();
  post(url, std::move(contentType), std::move(body), [promise](ClientResult r) { promise->set_value(std::move(r)); });
  return waitFor(std::move(future));
}

void HttpClient::request(const std::string& method, const std::string& url, std::string contentType, std::string body,
                         std::function<void(ClientResult)> done) {
  const http::verb verb = http::string_to_verb(method);
  if (verb == http::verb::unknown) throw TransportError("unknown HTTP method " + method);
  impl_->start(exchange(url, verb, std::move(contentType), std::move(body), std::move(done)));
}

HttpResponse HttpClient::requestSync(const std::string& method, const std::string& url, std::string contentType,
                                     std::string body) {
  auto promise = std::make_shared<std::promise<ClientResult>>();
  auto future = promise->get_future();
  request(method, url, std::move(contentType), std::move(body), [promise](ClientResult r) { promise->set_value(std::move(r)); });
  return waitFor(std::move(future));
}

HttpResponse HttpClient::getSync(const std::string& url) {
  auto promise = std::make_shared<std::promise<ClientResult>>();
  auto future = promise->get_future();
  get(url, [promise](ClientResult r) { promise->set_value(std::move(r)); });
  return waitFor(std::move(future));
}

}  // namespace setpay::runtime
