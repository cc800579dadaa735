// The SET cardholder (notes §2.2–2.6): runs one purchase from a merchant's wake-up. Every step reads
// like Book 2's cardholder processing: PInitReq → check PInitRes (merchant chain, RRPID / Chall-C
// echo, TransIDs, LID-M, brand, Cert-PE by PEThumb) → dual-signed PReq → check PRes; InqReq → InqRes.
// Local check failures throw protocol::ProtocolError; a SET Error from the merchant throws MerchantError.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "protocol/messages/wrapper.hpp"
#include "protocol/random.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "wallet-server/card_access.hpp"
#include "protocol/pki/carried_trust.hpp"

namespace setpay::wallet {

using Transport = std::function<protocol::Bytes(protocol::ByteView)>;

struct CardholderConfig {
  protocol::AlgorithmProfile profile;
  bool hardening = false;  // name Cert-PE in the PI (set from profile.hardeningByDefault() by the caller)
  protocol::pki::TrustAnchors trust;
  std::string language = "en";
  std::string swIdent = "setpay-wallet/0.1";
  std::optional<std::string> brand = std::nullopt;  // preferred BrandID; default: the wake-up's first brand
};

// The merchant answered with a (verified) SET Error message.
class MerchantError : public protocol::ProtocolError {
 public:
  MerchantError(protocol::ErrorCode code, const std::string& detail) : ProtocolError(code, "merchant: " + detail) {}
};

struct PurchaseOutcome {
  std::optional<protocol::CompletionCode> completionCode;  // from PRes / InqRes
  std::optional<protocol::AuthStatus> authStatus;
  std::optional<protocol::ErrorCode> error;  // the purchase ended on this SET error
  bool errorFromMerchant = false;            // …sent by the merchant (else: found by the wallet)
  std::string detail;
  bool approved() const {
    return !error && authStatus && authStatus->authCode == protocol::AuthCode::approved;
  }
};

class Cardholder {
 public:
  Cardholder(CardholderConfig, CardAccess&, const protocol::Clock&, protocol::RandomSource&);

  // Steps (each returns the next MessageWrapper DER to send to the merchant).
  protocol::Bytes pInitReq(const protocol::WakeUp&);
  protocol::Bytes pReq(protocol::ByteView pInitResWrapper);
  PurchaseOutcome acceptPRes(protocol::ByteView pResWrapper);
  protocol::Bytes inqReq();
  PurchaseOutcome acceptInqRes(protocol::ByteView inqResWrapper);

  // The whole purchase through `toMerchant`; never throws a ProtocolError (it ends in outcome.error).
  PurchaseOutcome purchase(const protocol::WakeUp&, const Transport& toMerchant);
  PurchaseOutcome inquire(const Transport& toMerchant);

  // The current purchase's TransIDs (after PInitRes), for traces and tests.
  const std::optional<protocol::TransIDs>& transIDs() const { return session_.transIDs; }

 private:
  struct Session {
    protocol::WakeUp wakeUp;
    std::string brandID;
    protocol::Bytes lidC, pInitRRPID, challC;
    std::optional<protocol::TransIDs> transIDs;
    protocol::Bytes challM, peThumb, merchantThumb, requestRRPID, requestChall;
    protocol::ossl::Cert gatewayKeyExchange;
    std::string merchantID;
    bool signedPReq = false;
  };

  protocol::MessageWrapper receive(protocol::ByteView wrapperDer) const;
  protocol::Bytes wrap(protocol::Message, const protocol::Bytes& rrpid) const;
  PurchaseOutcome acceptResponse(protocol::ByteView wrapperDer, bool inquiry);

  CardholderConfig config_;
  CardAccess& card_;
  const protocol::Clock& clock_;
  protocol::RandomSource& random_;
  Session session_;
};

}  // namespace setpay::wallet
