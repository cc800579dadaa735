// Beast's synchronous websocket_client_sync_ssl shape, with runtime's TLS floor (TLS 1.2+).
#include "terminal/wallet_link.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <stdexcept>

namespace setpay::terminal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

ssl::context clientContext(const WalletLinkOptions& o) {
  ssl::context ctx(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  ctx.load_verify_file(o.caFile.string());
  ctx.set_verify_mode(ssl::verify_peer);
  ctx.use_certificate_chain_file(o.certificate.string());
  ctx.use_private_key_file(o.privateKey.string(), ssl::context::pem);
  return ctx;
}

}  // namespace

struct WalletLink::Impl {
  explicit Impl(WalletLinkOptions o) : options(std::move(o)), ctx(clientContext(options)) {}
  WalletLinkOptions options;
  asio::io_context ioc;
  ssl::context ctx;
  std::unique_ptr<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> ws;
  beast::flat_buffer buffer;
};

WalletLink::WalletLink(WalletLinkOptions o) {
  try {
    impl_ = std::make_unique<Impl>(std::move(o));
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error(std::string("TLS material: ") + e.what());
  }
}

WalletLink::~WalletLink() = default;

void WalletLink::connect() {
  Impl& i = *impl_;
  try {
    i.ws = std::make_unique<websocket::stream<beast::ssl_stream<beast::tcp_stream>>>(i.ioc, i.ctx);
    tcp::resolver resolver(i.ioc);
    const auto results = resolver.resolve(i.options.host, std::to_string(i.options.port));
    auto& lowest = beast::get_lowest_layer(*i.ws);
    lowest.expires_after(i.options.connectTimeout);
    lowest.connect(results);
    // The wallet's certificate must name the host we dialled (DNS name or IP address).
    SSL* ssl = i.ws->next_layer().native_handle();
    boost::system::error_code notIp;
    asio::ip::make_address(i.options.host, notIp);
    if (notIp)
      SSL_set1_host(ssl, i.options.host.c_str());
    else
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), i.options.host.c_str());
    i.ws->next_layer().handshake(ssl::stream_base::client);
    lowest.expires_never();
    i.ws->read_message_max(64 * 1024);
    i.ws->binary(true);
    i.ws->handshake(i.options.host, "/mobile");
    i.buffer.clear();
  } catch (const boost::system::system_error& e) {
    i.ws.reset();
    throw std::runtime_error("cannot connect to the wallet at " + i.options.host + ":" + std::to_string(i.options.port) + ": " +
                             e.code().message());
  }
}

std::optional<protocol::Bytes> WalletLink::read() {
  Impl& i = *impl_;
  if (!i.ws) return std::nullopt;
  beast::error_code ec;
  i.ws->read(i.buffer, ec);
  if (ec) {
    i.ws.reset();
    return std::nullopt;
  }
  const auto data = i.buffer.cdata();
  const auto* p = static_cast<const std::uint8_t*>(data.data());
  protocol::Bytes out(p, p + data.size());
  i.buffer.consume(i.buffer.size());
  return out;
}

void WalletLink::write(protocol::ByteView message) {
  Impl& i = *impl_;
  if (!i.ws) throw std::runtime_error("not connected to the wallet");
  beast::error_code ec;
  i.ws->write(asio::buffer(message.data(), message.size()), ec);
  if (ec) {
    i.ws.reset();
    throw std::runtime_error("lost the wallet while sending: " + ec.message());
  }
}

void WalletLink::close() {
  Impl& i = *impl_;
  if (!i.ws) return;
  beast::error_code ec;
  i.ws->close(websocket::close_code::normal, ec);
  i.ws.reset();
}

}  // namespace setpay::terminal
