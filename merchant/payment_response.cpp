#include "merchant/payment_response.hpp"

namespace setpay::merchant {

using protocol::AuthCode;
using protocol::CompletionCode;

namespace {
// AuthRatio = AuthAmt / PurchAmt as a decimal FloatingPoint (1 when the whole amount was authorized).
protocol::FloatingPoint ratio(const protocol::CurrencyAmount& authAmt, const protocol::CurrencyAmount& purchAmt) {
  if (authAmt == purchAmt) return {1, 0};
  if (purchAmt.amount == 0 || authAmt.currency != purchAmt.currency || authAmt.amtExp10 != purchAmt.amtExp10)
    return {0, 0};
  return {authAmt.amount * 1000 / purchAmt.amount, -3};
}
}  // namespace

protocol::PResPayload paymentResponse(const Authorization& a, const std::optional<protocol::CapResPayload>& capture,
                                      const protocol::CurrencyAmount& purchAmt, protocol::TimePoint now) {
  protocol::PResPayload p;
  p.completionCode = CompletionCode::authorizationPerformed;
  protocol::Results results;
  const bool approved = a.authCode == AuthCode::approved;
  results.authStatus = protocol::AuthStatus{now, a.authCode, approved ? ratio(a.authAmt, purchAmt) : protocol::FloatingPoint{0, 0},
                                            std::nullopt};
  if (approved && capture) {
    results.capStatus = protocol::CapStatus{now, capture->capCode,
                                            capture->capCode == protocol::CapCode::success ? ratio(capture->capAmt, purchAmt)
                                                                                           : protocol::FloatingPoint{0, 0}};
    if (capture->capCode == protocol::CapCode::success) p.completionCode = CompletionCode::capturePerformed;
  }
  p.results = results;
  return p;
}

protocol::PResPayload rejection(AuthCode code, protocol::TimePoint now) {
  protocol::PResPayload p;
  p.completionCode = CompletionCode::orderRejected;
  p.results = protocol::Results{std::nullopt, protocol::AuthStatus{now, code, {0, 0}, std::nullopt}, std::nullopt};
  return p;
}

}  // namespace setpay::merchant
