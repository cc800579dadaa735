// Prometheus metrics of one service: prometheus-cpp's core registry, serialized in the text format by
// our own HTTP server on /metrics (no civetweb). Families are created once; labelled children on use.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace prometheus {
class Registry;
}

namespace setpay::runtime {

class Metrics {
 public:
  explicit Metrics(std::string service);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // HTTP layer (http_server.cpp).
  void httpResponse(unsigned status);
  void connectionOpened();
  void connectionClosed();
  void connectionRefused();  // at the limit with no idle connection to close
  void connectionEvicted();  // an idle connection closed to make room
  // SET layer (services).
  void setMessage(std::string_view messageType, std::string_view result, double seconds);

  prometheus::Registry& registry();  // for service-specific families
  std::string text() const;          // the Prometheus text exposition format

 private:
  struct Families;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<Families> f_;
};

}  // namespace setpay::runtime
