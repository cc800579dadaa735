#include "runtime/http_server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <condition_variable>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "runtime/detail/tls_context.hpp"
#include "runtime/log.hpp"
#include "runtime/metrics.hpp"

namespace setpay::runtime {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

struct Route {
  std::string method, path;
  std::vector<std::string> contentTypes;
  Handler handler;
};


std::string endpoint(const tcp::socket& s) {
  boost::system::error_code ec;
  const auto ep = s.remote_endpoint(ec);
  if (ec) return "?";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

// Whatever keeps a session findable by the connection limit and the drain, without owning it.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void evictIfIdle() = 0;  // posted to the session's strand
  std::atomic<bool> busy{false};   // a request is being read past its header, handled or answered
};

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions o, Logger& l, Metrics& m) : options(std::move(o)), log(l), metrics(m) {
    ioc.emplace(static_cast<int>(std::max(1u, options.threads)));
    if (options.tls) tls.emplace(detail::serverContext(*options.tls));
    acceptor.emplace(net::make_strand(*ioc));
    signals.emplace(*ioc, SIGTERM, SIGINT);
  }
  ~Impl() {
    // Pending handlers own sessions, whose destructors call back into this object: tear the io_context
    // down first, while the registry, the TLS context and the logger are still alive.
    work.reset();
    acceptor.reset();
    signals.reset();
    ioc.reset();
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // ---- connection registry (limit, eviction, drain)
  std::uint64_t enroll(const std::shared_ptr<SessionBase>& s) {
    const std::lock_guard lock(mutex);
    sessions.emplace(++nextId, s);
    metrics.connectionOpened();
    return nextId;
  }
  void leave(std::uint64_t id) {
    std::lock_guard lock(mutex);
    sessions.erase(id);
    metrics.connectionClosed();
    if (sessions.empty()) drainedCv.notify_all();
  }
  // At the limit: close the oldest idle connection; false if every connection is busy.
  bool makeRoom() {
    // Declared before the lock, so released after it: a last owner's destructor calls leave().
    std::vector<std::shared_ptr<SessionBase>> seen;
    const std::lock_guard lock(mutex);
    if (sessions.size() < options.maxConnections) return true;
    for (auto& entry : sessions) {
      seen.push_back(entry.second.lock());
      SessionBase* s = seen.back().get();
      if (s && !s->busy.load()) {
        s->evictIfIdle();
        s->busy.store(true);  // not chosen twice; it is closing
        metrics.connectionEvicted();
        return true;
      }
    }
    return false;
  }
  void evictAllIdle() {
    std::vector<std::shared_ptr<SessionBase>> all;
    {
      const std::lock_guard lock(mutex);
      for (auto& entry : sessions)
        if (auto s = entry.second.lock()) all.push_back(std::move(s));
    }
    for (auto& s : all) s->evictIfIdle();
  }

  const Route* find(const std::string& method, std::string_view path, bool& pathKnown) const {
    pathKnown = false;
    for (const auto& r : routes) {
      if (r.path != path) continue;
      pathKnown = true;
      if (r.method == method) return &r;
    }
    return nullptr;
  }

  void accept();
  void onAccept(boost::system::error_code, tcp::socket);
  void requestStop() {
    const std::lock_guard lock(mutex);
    stopRequested = true;
    stopCv.notify_all();
  }

  ServerOptions options;
  Logger& log;
  Metrics& metrics;
  std::vector<Route> routes;
  std::function<bool()> readiness = [] { return true; };
  std::atomic<bool> draining{false};

  std::mutex mutex;
  std::condition_variable drainedCv, stopCv;
  bool stopRequested = false;
  std::map<std::uint64_t, std::weak_ptr<SessionBase>> sessions;
  std::uint64_t nextId = 0;
  std::vector<std::thread> threads;

  std::optional<ssl::context> tls;
  std::optional<net::io_context> ioc;
  // Keeps the io threads running while a handler holds a request (no Asio operation pending then),
  // notably during the drain, when the acceptor is closed. Released once drained.
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::signal_set> signals;
};

namespace {

template <bool Tls>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Tls>> {
  using Stream = std::conditional_t<Tls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

 public:
  Session(HttpServer::Impl& server, tcp::socket&& socket)
      : server_(server), remote_(endpoint(socket)), stream_(makeStream(server, std::move(socket))) {}
  ~Session() override {
    if (id_) server_.leave(id_);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start(std::uint64_t id) {
    id_ = id;
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->begin(); });
  }

  void evictIfIdle() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->inRequest_) return;  // became busy meanwhile: it finishes and closes by itself
      self->closed_ = true;
      beast::get_lowest_layer(self->stream_).close();
    });
  }

 private:
  static Stream makeStream(HttpServer::Impl& server, tcp::socket&& socket) {
    if constexpr (Tls)
      return Stream(std::move(socket), *server.tls);
    else
      return Stream(std::move(socket));
  }

  void begin() {
    if constexpr (Tls) {
      beast::get_lowest_layer(stream_).expires_after(server_.options.handshakeTimeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](boost::system::error_code ec) { self->onHandshake(ec); });
    } else {
      readRequest();
    }
  }

  void onHandshake(boost::system::error_code ec) {
    if (ec) return;  // timeouts, scanners, wrong protocol: nothing to answer
    if constexpr (Tls) {
      SSL* ssl = stream_.native_handle();
      if (X509* peer = SSL_get1_peer_certificate(ssl)) {
        if (SSL_get_verify_result(ssl) == X509_V_OK) {
          char subject[512];
          X509_NAME_oneline(X509_get_subject_name(peer), subject, sizeof subject);
          clientSubject_ = subject;
        }
        X509_free(peer);
      }
    }
    readRequest();
  }

  void readRequest() {
    if (closed_ || server_.draining.load()) return closeNow();
    inRequest_ = false;
    busy.store(false);
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    parser_->body_limit(server_.options.maxBodyBytes);
    beast::get_lowest_layer(stream_).expires_after(server_.options.readTimeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                              self->onHeader(ec);
                            });
  }

  void onHeader(boost::system::error_code ec) {
    if (ec == http::error::body_limit)  // the header's Content-Length is over the limit
      return reject(413, "request body over " + std::to_string(server_.options.maxBodyBytes) + " bytes");
    if (ec) {
      if (ec == http::error::header_limit) return reject(431, "request header too large");
      return closeNow();
    }
    inRequest_ = true;
    busy.store(true);
    auto& req = parser_->get();
    const std::string method(req.method_string());
    const std::string_view target = req.target();
    const std::string_view path = target.substr(0, target.find('?'));
    bool pathKnown = false;
    route_ = server_.find(method, path, pathKnown);
    if (!route_) return reject(pathKnown ? 405 : 404, pathKnown ? "method not allowed" : "not found");
    if (const auto length = parser_->content_length(); length && *length > server_.options.maxBodyBytes)
      return reject(413, "request body over " + std::to_string(server_.options.maxBodyBytes) + " bytes");
    if (!route_->contentTypes.empty()) {
      const std::string type = mediaType(req[http::field::content_type]);
      if (std::find(route_->contentTypes.begin(), route_->contentTypes.end(), type) == route_->contentTypes.end())
        return reject(415, "content type must be " + route_->contentTypes.front());
    }
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](boost::system::error_code e, std::size_t) { self->onBody(e); });
  }

  void onBody(boost::system::error_code ec) {
    if (ec == http::error::body_limit)
      return reject(413, "request body over " + std::to_string(server_.options.maxBodyBytes) + " bytes");
    if (ec) return closeNow();
    // Stop the read deadline while the handler works: writeTimeout applies to the answer.
    beast::get_lowest_layer(stream_).expires_never();
    auto message = parser_->release();
    keepAlive_ = message.keep_alive();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.contentType = mediaType(message[http::field::content_type]);
    request.body = std::move(message.body());
    request.remote = remote_;
    request.clientCertificateSubject = clientSubject_;
    request.received = std::chrono::steady_clock::now();
    target_ = request.target;
    auto self = this->shared_from_this();
    Respond respond = [self](HttpResponse response) {
      net::post(self->stream_.get_executor(), [self, r = std::move(response)]() mutable { self->write(std::move(r)); });
    };
    try {
      route_->handler(std::move(request), std::move(respond));
    } catch (const std::exception& e) {
      server_.log.error("handler-failed", {{"target", target_}, {"what", e.what()}});
      write(HttpResponse{500, "text/plain", "internal error\n"});
    }
  }

  // Answer and close. The rest of the request is read and dropped for a moment (bounded), so that
  // closing does not reset the connection before the client has read the answer.
  void reject(unsigned status, const std::string& why) {
    inRequest_ = true;
    busy.store(true);
    keepAlive_ = false;
    linger_ = true;
    target_ = parser_ ? std::string(parser_->get().target()) : std::string();
    server_.log.warn("http-refused", {{"status", std::to_string(status)}, {"target", target_}, {"remote", remote_},
                                      {"why", why}});
    write(HttpResponse{status, "text/plain", why + "\n"});
  }

  void write(HttpResponse r) {
    if (answered_) return;  // a handler that answers twice: the first answer stands
    answered_ = true;
    if (server_.draining.load()) keepAlive_ = false;
    response_.emplace(static_cast<http::status>(r.status), 11);
    response_->set(http::field::server, "setpay");
    response_->set(http::field::content_type, r.contentType);
    response_->keep_alive(keepAlive_);
    response_->body() = std::move(r.body);
    response_->prepare_payload();
    server_.metrics.httpResponse(r.status);
    beast::get_lowest_layer(stream_).expires_after(server_.options.writeTimeout);
    http::async_write(stream_, *response_, [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
      self->onWrite(ec);
    });
  }

  void onWrite(boost::system::error_code ec) {
    if (ec) return closeNow();
    if (linger_) return discardThenClose();
    if (!keepAlive_) return shutdown();
    answered_ = false;
    response_.reset();
    readRequest();
  }

  void discardThenClose() {
    static constexpr std::size_t kMaxDiscard = 1024 * 1024;
    if (discarded_ == 0) beast::get_lowest_layer(stream_).expires_after(std::chrono::milliseconds(500));
    stream_.async_read_some(buffer_.prepare(16 * 1024),
                            [self = this->shared_from_this()](boost::system::error_code ec, std::size_t n) {
                              self->buffer_.consume(self->buffer_.size());
                              self->discarded_ += n + 1;
                              if (ec || self->discarded_ > kMaxDiscard) return self->closeNow();
                              self->discardThenClose();
                            });
  }

  void shutdown() {
    if constexpr (Tls) {
      beast::get_lowest_layer(stream_).expires_after(server_.options.handshakeTimeout);
      stream_.async_shutdown([self = this->shared_from_this()](boost::system::error_code) { self->closeNow(); });
    } else {
      closeNow();
    }
  }

  void closeNow() {
    closed_ = true;
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
  }

  HttpServer::Impl& server_;
  std::uint64_t id_ = 0;
  std::string remote_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  const Route* route_ = nullptr;
  std::optional<std::string> clientSubject_;
  std::string target_;
  bool keepAlive_ = false, inRequest_ = false, answered_ = false, closed_ = false, linger_ = false;
  std::size_t discarded_ = 0;
};

}  // namespace

void HttpServer::Impl::accept() {
  acceptor->async_accept(net::make_strand(*ioc),
                         [this](boost::system::error_code ec, tcp::socket socket) { onAccept(ec, std::move(socket)); });
}

void HttpServer::Impl::onAccept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor->is_open()) return;
  if (ec) {
    // EMFILE and friends: log, back off a little by continuing (the kernel keeps the backlog).
    log.warn("accept-failed", {{"what", ec.message()}});
    return accept();
  }
  if (draining.load() || !makeRoom()) {
    metrics.connectionRefused();
    boost::system::error_code ignored;
    socket.close(ignored);
    return accept();
  }
  if (tls) {
    auto s = std::make_shared<Session<true>>(*this, std::move(socket));
    s->start(enroll(s));
  } else {
    auto s = std::make_shared<Session<false>>(*this, std::move(socket));
    s->start(enroll(s));
  }
  accept();
}

HttpServer::HttpServer(ServerOptions options, Logger& log, Metrics& metrics)
    : impl_(std::make_shared<Impl>(std::move(options), log, metrics)) {
  Impl& impl = *impl_;
  route("GET", "/healthz", {}, [](HttpRequest, Respond respond) { respond({200, "text/plain", "ok\n"}); });
  route("GET", "/readyz", {}, [&impl](HttpRequest, Respond respond) {
    const bool ready = !impl.draining.load() && impl.readiness();
    respond({ready ? 200u : 503u, "text/plain", ready ? "ready\n" : "not ready\n"});
  });
  route("GET", "/metrics", {}, [&impl](HttpRequest, Respond respond) {
    respond({200, "text/plain; version=0.0.4", impl.metrics.text()});
  });
}

HttpServer::~HttpServer() {
  if (!impl_->threads.empty()) {
    stop();
    run();
  }
}

void HttpServer::route(std::string method, std::string path, std::vector<std::string> contentTypes, Handler handler) {
  for (auto& t : contentTypes) t = mediaType(t);
  impl_->routes.push_back(Route{std::move(method), std::move(path), std::move(contentTypes), std::move(handler)});
}

void HttpServer::setReadiness(std::function<bool()> ready) { impl_->readiness = std::move(ready); }

std::uint16_t HttpServer::start(bool handleSignals) {
  Impl& impl = *impl_;
  const tcp::endpoint at(net::ip::make_address(impl.options.address), impl.options.port);
  impl.acceptor->open(at.protocol());
  impl.acceptor->set_option(net::socket_base::reuse_address(true));
  impl.acceptor->bind(at);
  impl.acceptor->listen(net::socket_base::max_listen_connections);
  const std::uint16_t port = impl.acceptor->local_endpoint().port();
  if (impl.options.portFile) {
    const auto tmp = impl.options.portFile->string() + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::filesystem::rename(tmp, *impl.options.portFile);  // readers never see a half-written file
  }
  if (handleSignals)
    impl.signals->async_wait([&impl](boost::system::error_code ec, int signal) {
      if (ec) return;
      impl.log.info("signal", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}, {"action", "draining"}});
      impl.requestStop();
    });
  impl.work.emplace(impl.ioc->get_executor());
  net::dispatch(impl.acceptor->get_executor(), [&impl] { impl.accept(); });
  for (unsigned i = 0; i < std::max(1u, impl.options.threads); ++i)
    impl.threads.emplace_back([&impl] { impl.ioc->run(); });
  impl.log.info("listening", {{"address", impl.options.address}, {"port", std::to_string(port)},
                              {"tls", impl.tls ? "yes" : "no"}, {"threads", std::to_string(impl.options.threads)},
                              {"max_connections", std::to_string(impl.options.maxConnections)}});
  return port;
}

void HttpServer::stop() { impl_->requestStop(); }

bool HttpServer::run() {
  Impl& impl = *impl_;
  if (impl.threads.empty()) return true;
  {
    std::unique_lock lock(impl.mutex);
    impl.stopCv.wait(lock, [&] { return impl.stopRequested; });
  }
  impl.draining.store(true);
  std::promise<void> closed;
  net::post(impl.acceptor->get_executor(), [&impl, &closed] {
    boost::system::error_code ignored;
    impl.acceptor->close(ignored);
    impl.signals->cancel(ignored);
    closed.set_value();
  });
  closed.get_future().wait();
  impl.evictAllIdle();
  bool drained = false;
  {
    std::unique_lock lock(impl.mutex);
    drained = impl.drainedCv.wait_for(lock, impl.options.drainTimeout, [&] { return impl.sessions.empty(); });
  }
  impl.log.info("stopped", {{"drained", drained ? "yes" : "no (drain timeout)"}});
  impl.work.reset();
  impl.ioc->stop();
  for (auto& t : impl.threads) t.join();
  impl.threads.clear();
  return drained;
}

std::string mediaType(std::string_view header) {
  std::string out(header.substr(0, header.find(';')));
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  const auto first = out.find_first_not_of(" \t");
  out.erase(0, first == std::string::npos ? out.size() : first);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace setpay::runtime
