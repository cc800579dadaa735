// Internal to http_server.cpp / http_client.cpp: asio::ssl contexts with setpay's TLS policy
// (TLS 1.2 or later only; certificates and keys from PEM files; errors name the file).
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <stdexcept>
#include <string>

#include "runtime/http.hpp"

namespace setpay::runtime::detail {

namespace ssl = boost::asio::ssl;

inline void tlsFloor(ssl::context& ctx) {
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
}

template <class F>
void loading(const std::filesystem::path& file, const char* what, F&& f) {
  boost::system::error_code ec;
  f(ec);
  if (ec) throw std::runtime_error(std::string("TLS: cannot load ") + what + " " + file.string() + ": " + ec.message());
}

inline ssl::context serverContext(const TlsServerOptions& o) {
  ssl::context ctx(ssl::context::tls_server);
  tlsFloor(ctx);
  loading(o.certificateChain, "certificate chain", [&](auto& ec) { ctx.use_certificate_chain_file(o.certificateChain.string(), ec); });
  loading(o.privateKey, "private key", [&](auto& ec) { ctx.use_private_key_file(o.privateKey.string(), ssl::context::pem, ec); });
  if (o.clientCertificates != ClientCertificates::none) {
    if (!o.clientCa) throw std::runtime_error("TLS: client certificates need a client CA file");
    loading(*o.clientCa, "client CA", [&](auto& ec) { ctx.load_verify_file(o.clientCa->string(), ec); });
    ssl::verify_mode mode = ssl::verify_peer;
    if (o.clientCertificates == ClientCertificates::required) mode |= ssl::verify_fail_if_no_peer_cert;
    ctx.set_verify_mode(mode);
    // Ask for a certificate issued under this CA (the CA list sent in CertificateRequest).
    SSL_CTX_set_client_CA_list(ctx.native_handle(), SSL_load_client_CA_file(o.clientCa->c_str()));
  }
  return ctx;
}

inline ssl::context clientContext(const ClientOptions& o) {
  ssl::context ctx(ssl::context::tls_client);
  tlsFloor(ctx);
  if (o.caFile)
    loading(*o.caFile, "CA file", [&](auto& ec) { ctx.load_verify_file(o.caFile->string(), ec); });
  else
    ctx.set_default_verify_paths();
  ctx.set_verify_mode(ssl::verify_peer);
  if (o.clientCertificate) {
    loading(*o.clientCertificate, "client certificate",
            [&](auto& ec) { ctx.use_certificate_chain_file(o.clientCertificate->string(), ec); });
    const auto key = o.clientKey ? *o.clientKey : *o.clientCertificate;
    loading(key, "client key", [&](auto& ec) { ctx.use_private_key_file(key.string(), ssl::context::pem, ec); });
  }
  return ctx;
}

}  // namespace setpay::runtime::detail
