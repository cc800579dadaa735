// Plays the merchant against a payment gateway under test (and, to have a PI to send, the cardholder):
// builds AuthReq and CapReq with the protocol API, posts them, and reads every answer the way SET
// requires a merchant to — strict DER, the gateway's signature verified and its certificate chain
// validated to the test PKI's Root, the AuthRes bound to our request (XID, RRPID). What the answer
// must say is each case's business (gateway_cases.cpp).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "interop/sut_link.hpp"
#include "interop/test_pki.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/messages/sealed.hpp"

namespace setpay::interop {

struct GatewayPurchase {
  protocol::HODInput hod;
  protocol::OIData oi;
  protocol::PIHead head;
  protocol::PI pi;
  protocol::AuthReqData authReqData;
};

// What the gateway answered, opened: exactly one of the three.
struct GatewayAnswer {
  std::optional<protocol::OpenedAuthRes> authRes;
  std::optional<protocol::OpenedCapRes> capRes;
  std::optional<protocol::ErrorTBS> error;
  protocol::Bytes der;
  std::string describe() const;  // "AuthRes approved", "Error decodingFailure", …
};

class GatewayPlayer {
 public:
  GatewayPlayer(const TestPki&, SutLink&, std::int64_t approvedCents, std::int64_t declinedCents);

  const TestPki& pki;
  SutLink& link;
  const std::int64_t approvedCents, declinedCents;  // amounts the gateway's issuer approves / declines
  protocol::SystemClock clock;
  protocol::SystemRandom random;

  const Impostors& impostors();  // minted on first use (RSA key generation)

  // The cardholder's half: a dual-signed PReq's PI for the test card, sealed for `sealedFor` (default:
  // the gateway's Cert-PE); the AuthReqData asking for the purchase amount.
  GatewayPurchase purchase(std::int64_t cents, const X509* sealedFor = nullptr);
  // The AuthReq wrapper, signed by `merchant` (default: the test merchant) carrying `extra`.
  protocol::Bytes authReq(const protocol::AuthReqData&, const protocol::PI&, const protocol::pki::Credential* merchant = nullptr,
                          const protocol::CarriedCertificates& extra = {});
  protocol::Bytes capReq(const protocol::AuthTags&, const protocol::CapToken&, protocol::CurrencyAmount amount);

  // Posts and opens the answer. CaseFailure when the answer is not a valid, authenticated SET message
  // from the gateway (HTTP status, content type, DER, signature, chain, binding to the request).
  GatewayAnswer exchange(const std::string& label, protocol::ByteView request);
  // Same, for requests that are wrong on purpose: the answer must be a SET Error (CaseFailure otherwise).
  protocol::ErrorTBS expectError(const std::string& label, protocol::ByteView request);

  protocol::CurrencyAmount eur(std::int64_t cents) const { return {978, cents, -2}; }

 private:
  std::optional<Impostors> impostors_;
};

}  // namespace setpay::interop
