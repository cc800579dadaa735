// Async HTTP/1.1 server (Boost.Beast over Asio, TLS 1.2+ through asio::ssl when configured).
// A few io threads serve every connection; each connection is a session on its own strand that reads
// a request (header, then body, under readTimeout), routes it, hands it to the asynchronous handler and
// writes the answer (under writeTimeout). Limits: bodies over maxBodyBytes → 413 (before the body is
// read when Content-Length says so); a route's content types → 415; at maxConnections the oldest idle
// connection (handshaking, or waiting for a request) is closed to make room, else the new one is.
// Built in: GET /healthz, GET /readyz (503 while draining or not ready), GET /metrics.
// SIGTERM/SIGINT (or stop()): stop accepting, close idle connections, let in-flight requests finish
// (answered with Connection: close), then run() returns; after drainTimeout the rest is cut.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/http.hpp"

namespace setpay::runtime {

class Logger;
class Metrics;

class HttpServer {
 public:
  HttpServer(ServerOptions, Logger&, Metrics&);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Before start(). contentTypes: the media types accepted (empty: any, e.g. for GET).
  void route(std::string method, std::string path, std::vector<std::string> contentTypes, Handler);
  void setReadiness(std::function<bool()>);

  // Binds, listens and starts the io threads; returns the bound port. Throws on TLS or bind errors.
  std::uint16_t start(bool handleSignals = true);
  // Blocks until a signal or stop(), drains, joins the io threads. Returns true if drained in time.
  bool run();
  void stop();  // thread-safe; begins the drain

 struct Impl;  // defined in the .cpp (public so its Asio-side helpers can name it)

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace setpay::runtime
