// A plain-HTTP forward proxy (RFC 9110 §7.3.2 absolute-form requests, §9.3.6 CONNECT) on Asio/Beast,
// for the redirector's gateway-proxy mode. Each client connection is a coroutine on a few io threads:
// it reads a request (header limit 16 KiB, body ≤ maxBodyBytes, under readTimeout), and
//   - origin-form ("/x"), or absolute-form to `localHost`: answered by `local` (the proxy's own pages);
//   - absolute-form http://host[:port]/…: `before` may edit the headers or answer itself; otherwise it
//     goes to the origin on a fresh connection (hop-by-hop headers dropped, Connection: close), whose
//     response (≤ maxResponseBytes) `divert` may replace; otherwise it is passed back unchanged;
//   - CONNECT host:port: tunnelled byte for byte after "200 Connection Established" (TLS inside is
//     never seen: nothing in it can be diverted), idle-timed out after tunnelIdle.
// Only hosts in allowedHosts are reached (empty: any). No cache. stop() closes everything at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/http.hpp"

namespace setpay::runtime {

class Logger;

using HeaderFields = std::vector<std::pair<std::string, std::string>>;

struct ProxyOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;
  std::optional<std::filesystem::path> portFile;
  unsigned threads = 2;
  std::size_t maxConnections = 512;
  std::size_t maxBodyBytes = 1024 * 1024;      // client request bodies
  std::size_t maxResponseBytes = 8 * 1024 * 1024;
  std::chrono::milliseconds readTimeout{30000};
  std::chrono::milliseconds originTimeout{30000};  // connect + write + read of one origin exchange
  std::chrono::milliseconds tunnelIdle{300000};
  std::vector<std::string> allowedHosts;        // host names / addresses as written in the URL; empty: any
  std::string localHost = "redirector.setpay.invalid";  // absolute-form requests to this host go to `local`
};

struct ProxiedRequest {
  std::string method;
  std::string url;    // absolute, as the client sent it
  std::string host;   // from the URL
  std::uint16_t port = 80;
  std::string peer;   // the client's address (no port)
  HeaderFields headers;  // without hop-by-hop headers; `before` may edit them
  std::string body;
  std::string note;   // free for the handlers: set by `before`, read by `divert`
};

struct OriginResponse {
  unsigned status = 0;
  std::string contentType;  // media type, lower-case, no parameters
  HeaderFields headers;
  std::string body;
};

struct ProxyHandlers {
  // Before forwarding: a response to answer with instead, or nullopt to forward.
  std::function<std::optional<HttpResponse>(ProxiedRequest&)> before;
  // The origin's response: return true to replace it (then call Respond once, from any thread), false
  // to pass it back unchanged.
  std::function<bool(const ProxiedRequest&, const OriginResponse&, Respond)> divert;
  // The proxy's own pages (HttpRequest.target is origin-form, remote is the client's address).
  Handler local;
};

class HttpProxy {
 public:
  HttpProxy(ProxyOptions, ProxyHandlers, Logger&);
  ~HttpProxy();
  HttpProxy(const HttpProxy&) = delete;
  HttpProxy& operator=(const HttpProxy&) = delete;

  std::uint16_t start();  // binds, listens, runs the io threads; the port (also written to portFile)
  void stop();            // closes the listener and every connection, joins the threads

  struct Impl;  // defined in the .cpp

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace setpay::runtime
