#include "runtime/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace setpay::runtime {

struct Metrics::Families {
  prometheus::Family<prometheus::Counter>& responses;
  prometheus::Gauge& open;
  prometheus::Counter& refused;
  prometheus::Counter& evicted;
  prometheus::Family<prometheus::Counter>& messages;
  prometheus::Family<prometheus::Histogram>& latency;
};

Metrics::Metrics(std::string service) : registry_(std::make_shared<prometheus::Registry>()) {
  const prometheus::Labels constant{{"service", service}};
  auto& conns = prometheus::BuildGauge().Name("setpay_http_connections").Help("Open HTTP(S) connections")
                    .Labels(constant).Register(*registry_);
  auto& refused = prometheus::BuildCounter().Name("setpay_http_connections_refused_total")
                      .Help("Connections closed at once: connection limit reached, none idle").Labels(constant)
                      .Register(*registry_);
  auto& evicted = prometheus::BuildCounter().Name("setpay_http_connections_evicted_total")
                      .Help("Idle connections closed to make room under the connection limit").Labels(constant)
                      .Register(*registry_);
  f_ = std::make_unique<Families>(
      prometheus::BuildCounter().Name("setpay_http_responses_total").Help("HTTP responses by status code")
          .Labels(constant).Register(*registry_),
      conns.Add({}), refused.Add({}), evicted.Add({}),
      prometheus::BuildCounter().Name("setpay_set_messages_total").Help("SET messages handled, by type and result")
          .Labels(constant).Register(*registry_),
      prometheus::BuildHistogram().Name("setpay_set_message_seconds").Help("Time to answer a SET message")
          .Labels(constant).Register(*registry_));
}

Metrics::~Metrics() = default;

void Metrics::httpResponse(unsigned status) { f_->responses.Add({{"code", std::to_string(status)}}).Increment(); }
void Metrics::connectionOpened() { f_->open.Increment(); }
void Metrics::connectionClosed() { f_->open.Decrement(); }
void Metrics::connectionRefused() { f_->refused.Increment(); }
void Metrics::connectionEvicted() { f_->evicted.Increment(); }

void Metrics::setMessage(std::string_view type, std::string_view result, double seconds) {
  // Results carry no identifiers (bounded label values); see the services' result names.
  f_->messages.Add({{"type", std::string(type)}, {"result", std::string(result)}}).Increment();
  static const prometheus::Histogram::BucketBoundaries buckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                               0.1,   0.25,   0.5,   1,    2.5,   5};
  f_->latency.Add({{"type", std::string(type)}}, buckets).Observe(seconds);
}

prometheus::Registry& Metrics::registry() { return *registry_; }

std::string Metrics::text() const { return prometheus::TextSerializer{}.Serialize(registry_->Collect()); }

}  // namespace setpay::runtime
