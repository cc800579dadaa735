#include "interop/sut_link.hpp"

namespace setpay::interop {

SutLink::SutLink(std::string url, runtime::ClientOptions options) : url_(std::move(url)), client_(std::move(options)) {}

Reply SutLink::post(const std::string& label, protocol::ByteView body, const std::string& contentType) {
  const auto start = std::chrono::steady_clock::now();
  runtime::HttpResponse r;
  try {
    r = client_.postSync(url_, contentType, std::string(body.begin(), body.end()));
  } catch (const runtime::TransportError& e) {
    throw CaseFailure(std::string("no answer to ") + label + ": " + e.what());
  }
  timings_[label].push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  return Reply{r.status, r.contentType, protocol::Bytes(r.body.begin(), r.body.end())};
}

}  // namespace setpay::interop
