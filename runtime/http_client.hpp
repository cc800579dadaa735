// Async HTTP/1.1 client (Boost.Beast over Asio; https:// through asio::ssl with the server's name or
// IP verified against caFile). Kept-alive connections are reused per host; a connection found closed
// by the server before any answer byte is retried once on a fresh one. Every connect, handshake, write
// and read runs under a deadline. post() calls `done` on a client io thread; postSync() blocks the
// caller (CLI tools, tests, the in-process roles' Transport) and must not be called from `done`.
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "runtime/http.hpp"

namespace setpay::runtime {

struct ClientResult {
  std::string error;  // empty on success (any HTTP status is a success here)
  HttpResponse response;
  bool ok() const { return error.empty(); }
};

class TransportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class HttpClient {
 public:
  explicit HttpClient(ClientOptions = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  void post(const std::string& url, std::string contentType, std::string body, std::function<void(ClientResult)> done);
  void get(const std::string& url, std::function<void(ClientResult)> done);

  // Any method ("PATCH", "PUT", "DELETE" …); a body and its Content-Type go when contentType is not empty.
  void request(const std::string& method, const std::string& url, std::string contentType, std::string body,
               std::function<void(ClientResult)> done);

  // Blocking wrappers: the response whatever its status, or TransportError.
  HttpResponse postSync(const std::string& url, std::string contentType, std::string body);
  HttpResponse getSync(const std::string& url);
  HttpResponse requestSync(const std::string& method, const std::string& url, std::string contentType, std::string body);

 struct Impl;  // defined in the .cpp (public so its Asio-side helpers can name it)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace setpay::runtime
