// What PRes tells the cardholder once the gateway has answered (SPEC-CHOICES "## cardholder and
// merchant"): CompletionCode authorizationPerformed (capturePerformed when CaptureNow succeeded) with
// AuthStatus{AuthCode from AuthRes}, whether approved or declined.
#pragma once

#include "merchant/merchant_store.hpp"

namespace setpay::merchant {

protocol::PResPayload paymentResponse(const Authorization&, const std::optional<protocol::CapResPayload>&,
                                      const protocol::CurrencyAmount& purchAmt, protocol::TimePoint now);

// PRes for a purchase refused before authorization (e.g. PReqUnsigned when Cert-PE requires a
// cardholder certificate): orderRejected with AuthStatus{code}.
protocol::PResPayload rejection(protocol::AuthCode, protocol::TimePoint now);

}  // namespace setpay::merchant
