// The SET merchant (SET Book 2; choices in SPEC-CHOICES.md "## cardholder and merchant"). Thin over
// protocol/: offer() turns an order into the wake-up; handle() answers PInitReq with a signed PInitRes
// naming Cert-PE, checks a PReq (XID/LID lookup, the order's one live transaction, Chall-M, dual
// signature and cardholder chain, HOD recomputed from its own order) and makes the AuthReq;
// processAuthRes() reads the gateway's answer and makes the PRes; InqReq → InqRes. Every failure
// becomes a signed SET Error (protocol/messages/reply.hpp); nothing escapes handle() and an Error is
// never answered. The call to the gateway is the caller's: handle() returns the AuthReq to send, and
// no lock is held while the gateway answers (a service sends it asynchronously); handle(in, toGateway)
// does the whole exchange synchronously for tests and `setpay demo`. Steps in order: initiation.cpp
// (PInitReq), purchase_processing.cpp (PReq), authorization.cpp (AuthReq / AuthRes), inquiry.cpp (InqReq).
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "merchant/merchant_store.hpp"
#include "protocol/crypto/signer.hpp"
#include "protocol/messages/reply.hpp"
#include "protocol/messages/wrapper.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/pki/issuer.hpp"
#include "protocol/random.hpp"
#include "protocol/wakeup/wakeup.hpp"

namespace setpay::merchant {

// The gateway, called synchronously: AuthReq MessageWrapper in, its answer out (empty: no answer).
using Transport = std::function<protocol::Bytes(protocol::ByteView)>;

struct MerchantConfig {
  protocol::AlgorithmProfile profile;
  bool hardening = false;           // require the merchant-identity extension in AuthRes (profile default)
  std::vector<std::string> brands;  // BrandIDs accepted (wake-up SET-Brand lines)
  std::string paymentUrl = "https://shop.example/set";  // SET-Payment-URL: where PInitReq/PReq go
  std::string language = "en";
  protocol::pki::TrustAnchors trust;                 // Root, CA certificates and CRLs (also carried to the wallet)
  protocol::pki::Credential signature, keyExchange;  // the merchant's own
  protocol::ossl::Cert gatewayKeyExchange;           // Cert-PE of the gateway the acquirer assigned
  bool captureNow = false;                           // AuthReqData.CaptureNow
  std::string swIdent = "setpay-merchant/0.1";
  // Abandoned purchases (SPEC-CHOICES.md "## cardholder and merchant"): a wake-up not followed by a
  // PInitReq within offerLifetime, a PInitRes not followed by a PReq within transactionLifetime, is
  // refused and then removed by removeAbandoned().
  std::chrono::seconds offerLifetime{24 * 60 * 60};
  std::chrono::seconds transactionLifetime{30 * 60};
};

// An AuthReq the merchant needs sent to the payment gateway for transaction `xid`.
struct AuthorizationRequest {
  protocol::Bytes xid;
  protocol::Bytes authReq;  // MessageWrapper DER
};

// A CapReq for an approved authorization (SET Book 2 CapReq): its RRPID and MessageWrapper DER.
struct CaptureRequest {
  protocol::Bytes xid, capRRPID, capReq;
};

// What handle() decided: answer the cardholder now with `toCardholder` (empty only for an incoming
// Error), or send `toGateway` and answer the cardholder with processAuthRes(xid, the gateway's answer).
struct MerchantStep {
  protocol::Bytes toCardholder;
  std::optional<AuthorizationRequest> toGateway;
};

class Merchant {
 public:
  Merchant(MerchantConfig, MerchantStore&, const protocol::Clock&, protocol::RandomSource&);

  // a: order → b: wake-up (brands, amount, fresh LID-M, language, SET URL, order description).
  protocol::WakeUp offer(const Order&);

  // Incoming MessageWrapper DER (PInitReq, PReq, InqReq) → the next step. Never throws.
  // `refusal`, when given, receives "<ErrorCode>: <reason>" for an Error answer (the service logs it as why=).
  MerchantStep handle(protocol::ByteView wrapperDer, std::string* refusal = nullptr);
  // The gateway's answer (empty: none came) to the AuthReq of transaction `xid` → the PRes, or the
  // Error, for the cardholder. An answer that is not an authenticated AuthRes or gateway Error leaves
  // the purchase authorizing (the AuthReq in the store may be sent again). Throws ProtocolError
  // unknownXID / unknownRRPID when no AuthReq of that transaction awaits an answer.
  protocol::Bytes processAuthRes(protocol::ByteView xid, protocol::ByteView gatewayAnswer);
  // A PReq that repeats the one whose AuthReq still awaits the gateway's answer (same TransIDs, and the
  // RRPID and Chall-C recorded when its Chall-M was consumed): the AuthReq kept with the purchase, to
  // send again byte for byte (the gateway's replay cache answers it with the same AuthRes, so a retry
  // never debits twice). nullopt for anything else — handle() then answers it as usual (a replayed
  // PReq of a settled purchase is refused: challengeMismatch). Never throws.
  std::optional<AuthorizationRequest> pendingAuthorization(protocol::ByteView wrapperDer);
  // A PReq that repeats the one a settled purchase answered with PRes (same TransIDs, RRPID, Chall-C):
  // that PRes again (a service whose answer was lost: crash, timeout). nullopt otherwise. Never throws.
  std::optional<protocol::Bytes> repeatedAnswer(protocol::ByteView wrapperDer);
  // handle(), then — when the PReq needs the gateway — toGateway and processAuthRes(). No lock is held
  // while toGateway runs; an exception from it counts as no answer. Never throws.
  protocol::Bytes handle(protocol::ByteView wrapperDer, const Transport& toGateway);

  // Capture (capture.cpp): a CapReq for the whole authorized amount of `tx` (answered, approved, with
  // its CapToken); throws ProtocolError when there is nothing to capture. processCapRes opens the
  // gateway's answer to `request` (CapRes for its RRPID and XID) and returns its CapResPayload; an
  // Error or anything else throws (the same CapReq may be sent again: the gateway replays its CapRes).
  CaptureRequest captureRequest(const Transaction& tx);
  protocol::CapResPayload processCapRes(const CaptureRequest& request, protocol::ByteView answer) const;

  // Removes the abandoned orders and transactions (MerchantStore::removeAbandoned with this config's
  // lifetimes). Returns how many records went.
  std::size_t removeAbandoned();

  const MerchantConfig& config() const { return config_; }

 private:
  struct RepeatedPReq {  // a PReq naming a stored transaction by its exact TransIDs
    Transaction tx;
    protocol::Bytes rrpid, challC;  // the PReq's (OIData)
    bool answers(const protocol::Bytes& pReqRRPID, const protocol::Bytes& keptChallC) const;
  };
  std::optional<RepeatedPReq> findRepeatedPReq(protocol::ByteView wrapperDer) const;
  struct PReqContext;  // one PReq on its way through the steps (purchase_processing.cpp)

  // Handlers, one per message received (as PaymentGateway::processAuthReq / processCapReq).
  protocol::Bytes processPInitReq(const protocol::MessageWrapper&, const protocol::PInitReq&);
  MerchantStep processPReq(const protocol::MessageWrapper&, const protocol::PReq&);
  protocol::Bytes processInqReq(const protocol::MessageWrapper&, const protocol::InqReq&);

  // PInitReq steps (initiation.cpp).
  void checkBrandID(const protocol::PInitReq&) const;
  OfferedOrder findOffer(const protocol::PInitReq&) const;
  void supersedeLiveTransaction(const OfferedOrder&);
  Transaction openTransaction(const protocol::PInitReq&, const OfferedOrder&);
  protocol::Bytes pInitRes(const protocol::PInitReq&, const Transaction&);

  // PReq steps (purchase_processing.cpp).
  void findTransaction(PReqContext&) const;
  void checkLive(const PReqContext&) const;
  void checkChallM(const PReqContext&) const;
  void checkOIBrandID(const PReqContext&) const;
  void verifyCardholder(PReqContext&) const;
  bool signatureRequired() const;
  protocol::Bytes rejectUnsigned(PReqContext&);
  void checkHOD(PReqContext&) const;

  // AuthReq / AuthRes (authorization.cpp).
  MerchantStep requestAuthorization(PReqContext&);
  Authorization openAuthRes(const Authorizing&, const protocol::TransIDs&, const protocol::AuthRes&) const;
  protocol::ErrorCode openGatewayError(const protocol::Error&) const;

  // InqReq (inquiry.cpp).
  void checkInquirer(const Transaction&, const std::optional<protocol::VerifiedSignedData>&) const;
  protocol::PResPayload inquiryResponse(const Transaction&) const;

  // Replies (merchant.cpp).
  protocol::Bytes pRes(const Transaction&, const protocol::Bytes& rrpid, const protocol::Bytes& challC,
                       const protocol::PResPayload&, bool inquiry);
  protocol::Bytes wrap(protocol::Message, const protocol::TransIDs&, const protocol::Bytes& rrpid) const;
  protocol::Bytes errorFor(const protocol::ErrorReport&, const std::optional<protocol::MessageHeader>&,
                           protocol::ByteView in, bool carryChain);
  protocol::SignOptions carriedChain(const std::optional<protocol::Thumbs>& peerHas) const;
  protocol::TimePoint now() const;

  MerchantConfig config_;
  MerchantStore& store_;
  const protocol::Clock& clock_;
  protocol::RandomSource& random_;
  protocol::SoftwareSigner signer_;
  std::string merchantID_;
  // One step at a time per process (random_ and signer_ are not thread-safe; the store's own
  // compare-and-set keeps processes sharing a store apart). Never held while the gateway answers.
  std::mutex mutex_;
};

}  // namespace setpay::merchant
