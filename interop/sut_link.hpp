// The line to the system under test: one HTTP(S) POST per message, timed. A transport failure is a
// CaseFailure (the case fails, the run goes on with the next case).
#pragma once

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocol/bytes.hpp"
#include "runtime/http_client.hpp"

namespace setpay::interop {

// What a case throws when the system under test did not do what SET requires (the message says what
// it did instead).
class CaseFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr const char* setPaymentType = "application/set-payment";

struct Reply {
  unsigned status = 0;
  std::string contentType;
  protocol::Bytes body;
};

class SutLink {
 public:
  SutLink(std::string url, runtime::ClientOptions options);
  // `label`: the message type the request carries, for the timing report.
  Reply post(const std::string& label, protocol::ByteView body, const std::string& contentType = setPaymentType);
  // Milliseconds per exchange, by label.
  const std::map<std::string, std::vector<double>>& timings() const { return timings_; }

 private:
  std::string url_;
  runtime::HttpClient client_;
  std::map<std::string, std::vector<double>> timings_;
};

}  // namespace setpay::interop
