// The SET cardholder (SET Book 2; choices in SPEC-CHOICES.md "## cardholder and merchant"): runs one
// purchase from a merchant's wake-up. Every step reads like Book 2's cardholder processing: PInitReq
// for the card's brand → PInitRes (merchant chain, TransIDs and LID-M, RRPID / Chall-C echo, Cert-PE
// by PEThumb, brands) → dual-signed PReq → PRes; InqReq → InqRes. The purchase has an explicit stage;
// a message that does not fit it is refused. Local check failures throw protocol::ProtocolError; a SET
// Error authenticated as the merchant's throws MerchantError (an unauthenticated one is a
// ProtocolError and changes nothing: the wallet may still take the real answer or inquire). Steps:
// cardholder.cpp (PInitReq, Errors), purchase_request.cpp (PInitRes → PReq), purchase_response.cpp
// (PRes, InqReq, InqRes).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "protocol/messages/wrapper.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/random.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "wallet-server/card_access.hpp"

namespace setpay::wallet {

using Transport = std::function<protocol::Bytes(protocol::ByteView)>;

struct CardholderConfig {
  protocol::AlgorithmProfile profile;
  bool hardening = false;  // name Cert-PE in the PI (set from profile.hardeningByDefault() by the caller)
  protocol::pki::TrustAnchors trust;
  std::string language = "en";
  std::string swIdent = "setpay-wallet/0.1";
  // The card's brand as the wallet's account records it ("SETPAY"). Default: the organization of the
  // Brand CA above the card's certificate (found among trust.caCertificates and the card's chain).
  std::optional<std::string> brand = std::nullopt;
};

// The merchant answered with a SET Error it signed (signature and signer checked).
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

  // Steps: each takes what the merchant sent and returns the next MessageWrapper DER to send.
  protocol::Bytes pInitReq(const protocol::WakeUp&);                 // starts a purchase
  protocol::Bytes processPInitRes(protocol::ByteView pInitResWrapper);  // → PReq
  PurchaseOutcome processPRes(protocol::ByteView pResWrapper);
  protocol::Bytes inqReq();
  PurchaseOutcome processInqRes(protocol::ByteView inqResWrapper);

  // The whole purchase through `toMerchant`; never throws (every failure ends in outcome.error).
  PurchaseOutcome purchase(const protocol::WakeUp&, const Transport& toMerchant);
  PurchaseOutcome inquire(const Transport& toMerchant);

  // The current purchase's TransIDs (after PInitRes), for traces and tests.
  const std::optional<protocol::TransIDs>& transIDs() const { return session_.transIDs; }

 private:
  enum class Stage {
    idle,       // no purchase
    initiated,  // PInitReq sent: awaiting PInitRes
    requested,  // PReq sent: awaiting PRes
    ended,      // PRes received, or the merchant's Error: InqReq may follow
    inquiring,  // InqReq sent: awaiting InqRes
  };
  struct Session {
    Stage stage = Stage::idle;
    protocol::WakeUp wakeUp;
    std::string brandID;
    protocol::Bytes lidC, pInitRRPID, challC;
    // From PInitRes on.
    std::optional<protocol::TransIDs> transIDs;
    protocol::Bytes challM, peThumb, merchantThumb;
    protocol::ossl::Cert gatewayKeyExchange;
    std::string merchantID;
    bool signedPReq = false;
    // The request awaiting its answer (PReq or InqReq): the answer echoes these.
    protocol::Bytes requestRRPID, requestChall;
  };
  struct PInitResContext;  // one PInitRes on its way through the steps (purchase_request.cpp)

  // PInitReq (cardholder.cpp).
  std::string cardBrand() const;
  std::string chooseBrandID(const protocol::WakeUp&) const;

  // PInitRes → PReq (purchase_request.cpp), in Book 2's order.
  void verifyMerchant(PInitResContext&) const;
  void checkTransIDs(const PInitResContext&) const;
  void checkEchoes(const PInitResContext&) const;
  void selectCertPE(PInitResContext&) const;
  void checkBrands(const PInitResContext&) const;
  void checkCurrency(const PInitResContext&) const;
  void keepTransaction(const PInitResContext&);
  protocol::Bytes pReq();

  // PRes / InqRes (purchase_response.cpp).
  PurchaseOutcome processResponse(protocol::ByteView wrapperDer, Stage expected);

  // Every message received (cardholder.cpp): decoded; an Error authenticated, then thrown.
  protocol::MessageWrapper receive(protocol::ByteView wrapperDer);
  [[noreturn]] void merchantError(const protocol::Error&);
  void requireStage(Stage, const char* what) const;
  protocol::Bytes wrap(protocol::Message, const protocol::Bytes& rrpid) const;

  CardholderConfig config_;
  CardAccess& card_;
  const protocol::Clock& clock_;
  protocol::RandomSource& random_;
  Session session_;
};

}  // namespace setpay::wallet
