// The HTTP vocabulary shared by the server, the client and the services, free of Asio/Beast so that a
// service's own files compile fast. A handler is asynchronous: it gets the request and a Respond
// continuation, and may call it later from any thread (a merchant can await its gateway without
// blocking a thread or holding a lock).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace setpay::runtime {

struct HttpRequest {
  std::string method;       // "POST"
  std::string target;       // "/set" (path and query as sent)
  std::string contentType;  // media type only, lower-case, parameters dropped
  std::string body;
  std::string remote;       // "ip:port" of the peer
  std::optional<std::string> clientCertificateSubject;  // TLS client certificate, when one was verified
  std::chrono::steady_clock::time_point received;
};

// A Content-Type header's media type: "Application/Set-Payment; charset=x" → "application/set-payment".
std::string mediaType(std::string_view header);

struct HttpResponse {
  unsigned status = 200;
  std::string contentType = "text/plain";
  std::string body;
};

// Call exactly once, from any thread. The connection stays open (bounded by its timeouts) until then.
using Respond = std::function<void(HttpResponse)>;
using Handler = std::function<void(HttpRequest, Respond)>;

enum class ClientCertificates { none, optional, required };

struct TlsServerOptions {
  std::filesystem::path certificateChain;  // PEM, leaf first
  std::filesystem::path privateKey;        // PEM
  ClientCertificates clientCertificates = ClientCertificates::none;
  std::optional<std::filesystem::path> clientCa;  // PEM bundle trusted for client certificates
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port (see HttpServer::port and portFile)
  std::optional<std::filesystem::path> portFile;  // the bound port is written here once listening
  unsigned threads = 2;                            // io threads; no thread per connection
  std::size_t maxConnections = 256;
  std::size_t maxBodyBytes = 64 * 1024;            // SET: 64 KiB; larger → 413
  std::chrono::milliseconds handshakeTimeout{5000};
  std::chrono::milliseconds readTimeout{10000};    // a whole request, or the wait for the next one
  std::chrono::milliseconds writeTimeout{10000};
  std::chrono::milliseconds drainTimeout{10000};   // SIGTERM: in-flight requests get this long
  std::optional<TlsServerOptions> tls;             // absent: plain HTTP (behind a TLS terminator)
};

struct ClientOptions {
  std::optional<std::filesystem::path> caFile;   // trusted server roots (PEM); absent: system store
  std::optional<std::filesystem::path> clientCertificate, clientKey;  // for servers that ask
  std::chrono::milliseconds connectTimeout{5000};
  std::chrono::milliseconds requestTimeout{30000};  // handshake + write + read of one exchange
  std::chrono::milliseconds idleTimeout{4000};      // a kept-alive connection older than this is dropped
  std::size_t maxResponseBytes = 1024 * 1024;
  std::size_t maxIdlePerHost = 16;
  unsigned threads = 1;
};

}  // namespace setpay::runtime
