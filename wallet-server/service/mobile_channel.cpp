// Beast WebSocket over asio::ssl, as Beast's websocket_server_async_ssl example: one strand per
// connection, handshake under a deadline, then the WebSocket's own timeouts (idle + keep-alive pings).
#include "wallet-server/service/mobile_channel.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "protocol/mobile/channel.hpp"
#include "runtime/detail/tls_context.hpp"  // runtime's TLS policy (TLS ≥ 1.2, PEM files, client CA)
#include "runtime/log.hpp"

namespace setpay::wallet {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using protocol::Bytes;

namespace {

constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kIdleTimeout = std::chrono::seconds(60);  // a ping after 30 s of silence, closed after 60 s

std::string shortId(const Bytes& id) { return protocol::hex(id).substr(0, 16); }

}  // namespace

struct Session;

// Sessions refer to their channel by reference, as runtime's HttpServer does: a session kept alive by a
// handler still pending when the io threads stop must not keep the channel (and the io_context that
// holds that handler) alive in turn, or both leak. ~Impl destroys the io_context first, which destroys
// those handlers and with them the last sessions.
struct MobileChannel::Impl {
  Impl(MobileChannelOptions o, runtime::Logger& l, Handlers h, unsigned n)
      : options(std::move(o)), log(l), handlers(std::move(h)), threadCount(n), ctx(runtime::detail::serverContext(options.tls)) {
    ioc.emplace();
    acceptor.emplace(*ioc);
  }
  ~Impl() {
    guard.reset();
    acceptor.reset();
    sessions.clear();
    ioc.reset();
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void accept();
  void registerSession(const std::shared_ptr<Session>&);
  void unregister(const Session*);

  MobileChannelOptions options;
  runtime::Logger& log;
  Handlers handlers;
  unsigned threadCount;
  ssl::context ctx;
  std::optional<asio::io_context> ioc;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::vector<std::thread> threads;
  mutable std::mutex mutex;
  std::map<Bytes, std::shared_ptr<Session>> sessions;
  std::atomic<bool> stopped{false};
};

struct Session : std::enable_shared_from_this<Session> {
  Session(tcp::socket&& socket, MobileChannel::Impl& o) : ws(std::move(socket), o.ctx), owner(o) {
    boost::system::error_code ec;
    const auto ep = beast::get_lowest_layer(ws).socket().remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  void start() {
    asio::dispatch(ws.get_executor(), [self = shared_from_this()] {
      beast::get_lowest_layer(self->ws).expires_after(kHandshakeTimeout);
      self->ws.next_layer().async_handshake(ssl::stream_base::server, beast::bind_front_handler(&Session::onHandshake, self));
    });
  }

  void onHandshake(beast::error_code ec) {
    if (ec) return owner.log.warn("terminal-tls-refused", {{"remote", remote}, {"what", ec.message()}});
    // The certificate chains to client_ca (verified by OpenSSL); its key must be an enrolled terminal's.
    X509* cert = SSL_get0_peer_certificate(ws.next_layer().native_handle());
    EVP_PKEY* key = cert ? X509_get0_pubkey(cert) : nullptr;
    if (!key) return drop("no client certificate key");
    terminalID = protocol::mobile::terminalIdOf(key);
    if (!owner.handlers.admit(terminalID)) return drop("terminal key not enrolled");
    beast::get_lowest_layer(ws).expires_never();
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.idle_timeout = kIdleTimeout;
    timeouts.keep_alive_pings = true;
    ws.set_option(timeouts);
    ws.read_message_max(protocol::mobile::limits::message);
    ws.binary(true);
    ws.async_accept(beast::bind_front_handler(&Session::onAccept, shared_from_this()));
  }

  void drop(const char* why) {
    owner.log.warn("terminal-refused", {{"remote", remote}, {"why", why},
                                         {"terminal", terminalID.empty() ? std::string("-") : shortId(terminalID)}});
    beast::error_code ignored;
    beast::get_lowest_layer(ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws).close();
  }

  void onAccept(beast::error_code ec) {
    if (ec) return owner.log.warn("terminal-websocket-refused", {{"remote", remote}, {"what", ec.message()}});
    open = true;
    owner.registerSession(shared_from_this());
    owner.log.info("terminal-connected", {{"terminal", shortId(terminalID)}, {"remote", remote}});
    owner.handlers.connected(terminalID);
    read();
  }

  void read() { ws.async_read(buffer, beast::bind_front_handler(&Session::onRead, shared_from_this())); }

  void onRead(beast::error_code ec, std::size_t) {
    if (ec) {
      open = false;
      owner.log.info("terminal-disconnected", {{"terminal", shortId(terminalID)}, {"why", ec.message()}});
      owner.unregister(this);
      return;
    }
    const auto data = buffer.cdata();
    Bytes message(static_cast<const std::uint8_t*>(data.data()), static_cast<const std::uint8_t*>(data.data()) + data.size());
    buffer.consume(buffer.size());
    owner.handlers.received(terminalID, std::move(message));
    read();
  }

  void send(Bytes message) {
    asio::post(ws.get_executor(), [self = shared_from_this(), m = std::move(message)]() mutable {
      if (!self->open) return;
      self->outbox.push_back(std::move(m));
      if (self->outbox.size() == 1) self->write();
    });
  }

  void write() {
    ws.async_write(asio::buffer(outbox.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->open = false;
        self->outbox.clear();
        return;
      }
      self->outbox.pop_front();
      if (!self->outbox.empty()) self->write();
    });
  }

  void close() {
    asio::post(ws.get_executor(), [self = shared_from_this()] {
      if (!self->open) {
        beast::get_lowest_layer(self->ws).close();
        return;
      }
      self->open = false;
      self->ws.async_close(websocket::close_code::going_away, [self](beast::error_code) {});
    });
  }

  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws;
  MobileChannel::Impl& owner;
  std::string remote = "?";
  Bytes terminalID;
  beast::flat_buffer buffer;
  std::deque<Bytes> outbox;
  bool open = false;  // on the strand only
};

void MobileChannel::Impl::accept() {
  acceptor->async_accept(asio::make_strand(*ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (stopped) return;
    if (!ec) std::make_shared<Session>(std::move(socket), *this)->start();
    accept();
  });
}

void MobileChannel::Impl::registerSession(const std::shared_ptr<Session>& s) {
  std::shared_ptr<Session> previous;
  {
    const std::lock_guard lock(mutex);
    auto& slot = sessions[s->terminalID];
    previous = std::exchange(slot, s);
  }
  if (previous) previous->close();  // the handset reconnected: the newer connection wins
}

void MobileChannel::Impl::unregister(const Session* s) {
  const std::lock_guard lock(mutex);
  auto it = sessions.find(s->terminalID);
  if (it != sessions.end() && it->second.get() == s) sessions.erase(it);
}

MobileChannel::MobileChannel(MobileChannelOptions options, runtime::Logger& log, Handlers handlers, unsigned threads)
    : impl_(std::make_unique<Impl>(std::move(options), log, std::move(handlers), threads)) {}

MobileChannel::~MobileChannel() { stop(); }

std::uint16_t MobileChannel::start() {
  Impl& i = *impl_;
  const tcp::endpoint endpoint(asio::ip::make_address(i.options.address), i.options.port);
  i.acceptor->open(endpoint.protocol());
  i.acceptor->set_option(asio::socket_base::reuse_address(true));
  i.acceptor->bind(endpoint);
  i.acceptor->listen(asio::socket_base::max_listen_connections);
  const std::uint16_t port = i.acceptor->local_endpoint().port();
  if (i.options.portFile) {
    const auto tmp = i.options.portFile->string() + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::filesystem::rename(tmp, *i.options.portFile);
  }
  i.guard.emplace(i.ioc->get_executor());
  i.accept();
  for (unsigned n = 0; n < i.threadCount; ++n) i.threads.emplace_back([&i] { i.ioc->run(); });
  return port;
}

void MobileChannel::stop() {
  Impl& i = *impl_;
  if (i.stopped.exchange(true)) return;
  asio::post(*i.ioc, [&i] {
    beast::error_code ignored;
    i.acceptor->close(ignored);
  });
  std::map<Bytes, std::shared_ptr<Session>> sessions;
  {
    const std::lock_guard lock(i.mutex);
    sessions.swap(i.sessions);
  }
  for (auto& [id, s] : sessions) s->close();
  i.guard.reset();
  // Give the close frames a moment, then stop whatever is left (pending keep-alive timers).
  asio::steady_timer grace(*i.ioc, std::chrono::milliseconds(200));
  grace.async_wait([&i](beast::error_code) { i.ioc->stop(); });
  for (auto& t : i.threads)
    if (t.joinable()) t.join();
  i.threads.clear();
}

bool MobileChannel::send(const Bytes& terminalID, Bytes message) {
  std::shared_ptr<Session> s;
  {
    const std::lock_guard lock(impl_->mutex);
    auto it = impl_->sessions.find(terminalID);
    if (it == impl_->sessions.end()) return false;
    s = it->second;
  }
  s->send(std::move(message));
  return true;
}

bool MobileChannel::connected(const Bytes& terminalID) const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->sessions.count(terminalID) > 0;
}

std::size_t MobileChannel::connections() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->sessions.size();
}

namespace {

class AsioTimer final : public MobileChannel::Timer {
 public:
  struct State {
    explicit State(asio::io_context& ioc) : timer(ioc) {}
    asio::steady_timer timer;
    std::mutex mutex;
    std::function<void()> fn;
  };
  explicit AsioTimer(std::shared_ptr<State> s) : state_(std::move(s)) {}
  ~AsioTimer() override { cancel(); }
  void cancel() override {
    {
      const std::lock_guard lock(state_->mutex);
      if (!state_->fn) return;
      state_->fn = nullptr;
    }
    asio::post(state_->timer.get_executor(), [s = state_] { s->timer.cancel(); });
  }

 private:
  std::shared_ptr<State> state_;
};

}  // namespace

std::unique_ptr<MobileChannel::Timer> MobileChannel::after(std::chrono::milliseconds delay, std::function<void()> fn) {
  auto state = std::make_shared<AsioTimer::State>(*impl_->ioc);
  state->fn = std::move(fn);
  state->timer.expires_after(delay);
  state->timer.async_wait([state](beast::error_code ec) {
    std::function<void()> f;
    {
      const std::lock_guard lock(state->mutex);
      f = std::move(state->fn);
      state->fn = nullptr;
    }
    if (!ec && f) f();
  });
  return std::make_unique<AsioTimer>(std::move(state));
}

}  // namespace setpay::wallet
