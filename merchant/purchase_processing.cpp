// PReq → AuthReq (SET Book 2, the merchant's PReq processing), one named step per check. Nothing is
// saved until the PReq has passed every check: then one compare-and-set consumes Chall-M, recording
// either the AuthReq about to be sent (authorizing) or the PRes refusing an unsigned purchase.
// Order of the checks: SPEC-CHOICES.md "## cardholder and merchant".
#include "merchant/merchant.hpp"
#include "merchant/preq_context.hpp"
#include "merchant/payment_response.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/seeded_fault.hpp"

namespace setpay::merchant {

namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ErrorCode;
using protocol::ProtocolError;

// ---- the sequence

MerchantStep Merchant::processPReq(const protocol::MessageWrapper& w, const protocol::PReq& preq) {
  const auto* dual = std::get_if<protocol::PReqDualSigned>(&preq.value);
  const protocol::OIData& oi = dual ? dual->oiData : std::get<protocol::PReqUnsigned>(preq.value).oiData;
  PReqContext r{w, preq, dual, oi, {}, {}};
  protocol::checkWrapperMatches(w.messageHeader, &oi.rrpid, &oi.transIDs);
  findTransaction(r);          // 3. XID, LID-C / LID-M, TransIDs of PInitRes
  checkLive(r);                //    awaiting this PReq, not expired, the order's live transaction
  checkChallM(r);              //    our Chall-M: the cardholder's signature is fresh
  checkOIBrandID(r);           //    the brand of PInitReq
  if (dual)
    verifyCardholder(r);       // 1. dual signature over PI-TBS; cardholder chain
  else if (signatureRequired())
    return {rejectUnsigned(r), std::nullopt};  // 2. Cert-PE takes only signed purchases
  checkHOD(r);                 // 4. the cardholder agreed to our order and amount
  return requestAuthorization(r);  // AuthReq; Chall-M consumed
}

// ---- the steps

void Merchant::findTransaction(PReqContext& r) const {
  auto tx = store_.findTransaction(r.oi.transIDs.xid);
  if (!tx) throw ProtocolError(ErrorCode::unknownXID, "no transaction with this XID");
  if (protocol::checkRemoved("transids-match")) return void(r.tx = std::move(*tx));  // interop tests only (protocol/seeded_fault.hpp)
  if (r.oi.transIDs.lidC != tx->transIDs.lidC || r.oi.transIDs.lidM != tx->transIDs.lidM)
    throw ProtocolError(ErrorCode::unknownLID, "LID-C / LID-M differ from PInitRes");
  if (r.oi.transIDs != tx->transIDs) throw ProtocolError(ErrorCode::unknownXID, "TransIDs differ from PInitRes");
  r.tx = std::move(*tx);
}

void Merchant::checkLive(const PReqContext& r) const {
  switch (r.tx.stateKind()) {
    case TransactionState::awaitingPReq:
      break;
    case TransactionState::superseded:
      throw ProtocolError(ErrorCode::unknownXID, "transaction superseded by a later PInitReq for the same order");
    default:  // Chall-M makes the cardholder's signature fresh; the first PReq that passed consumed it
      throw ProtocolError(ErrorCode::challengeMismatch, "Chall-M already consumed: PReq replayed");
  }
  if (r.tx.opened < now() - config_.transactionLifetime)
    throw ProtocolError(ErrorCode::unknownXID, "transaction expired: no PReq within its lifetime");
  // One live transaction per order: the order must still name this one (a superseding PInitReq
  // switches it, and an order that is paid names its paid transaction).
  const auto order = r.tx.transIDs.lidM ? store_.findOrder(*r.tx.transIDs.lidM) : std::nullopt;
  if (!order || order->xid != r.tx.transIDs.xid)
    throw ProtocolError(ErrorCode::unknownXID, "not the order's live transaction");
}

void Merchant::checkChallM(const PReqContext& r) const {
  if (protocol::checkRemoved("challenge-m")) return;  // interop tests only (protocol/seeded_fault.hpp)
  if (!r.oi.challM || !protocol::constantTimeEqual(*r.oi.challM, r.tx.challM))
    throw ProtocolError(ErrorCode::challengeMismatch, "OIData does not carry our Chall-M");
}

void Merchant::checkOIBrandID(const PReqContext& r) const {
  if (protocol::checkRemoved("brand-id")) return;  // interop tests only (protocol/seeded_fault.hpp)
  if (!r.oi.brandID.empty() && r.oi.brandID != r.tx.brandID)
    throw ProtocolError(ErrorCode::unspecifiedFailure, "OIData BrandID differs from PInitReq");
}

void Merchant::verifyCardholder(PReqContext& r) const {
  const auto signature = protocol::verifyDualSignature(config_.profile, *r.dual);
  const X509* cert = signature.signer.get();
  const Bytes thumb = pki::certificateThumbprint(config_.profile, cert);
  try {
    (void)pki::validateCarried(config_.profile, config_.trust, cert, signature, pki::Role::cardholder, clock_);
  } catch (const ProtocolError& e) {
    throw protocol::Refusal(e.code(), std::string("cardholder certificate: ") + e.what(), thumb);  // ErrorThumb
  }
  r.tx.cardholderThumb = thumb;
}

bool Merchant::signatureRequired() const {
  // Cert-PE says whether the gateway takes purchases without a cardholder certificate.
  return pki::cardCertRequiredOf(config_.gatewayKeyExchange.get()).value_or(true);
}

Bytes Merchant::rejectUnsigned(PReqContext& r) {
  const protocol::PResPayload response = rejection(protocol::AuthCode::signatureRequired, now());
  Transaction rejected = r.tx;
  rejected.state = Rejected{response};
  if (!store_.replaceTransaction(rejected, TransactionState::awaitingPReq))
    throw ProtocolError(ErrorCode::challengeMismatch, "Chall-M consumed by a concurrent PReq");
  return pRes(rejected, r.oi.rrpid, r.oi.challC, response, false);
}

void Merchant::checkHOD(PReqContext& r) const {
  // HOD recomputed from our own order and amount: the cardholder agreed to exactly this purchase.
  r.hod = protocol::hod(config_.profile, protocol::HODInput{protocol::toBytes(r.tx.order.orderDescription),
                                                            r.tx.order.amount, r.oi.odSalt, std::nullopt, {}});
  if (protocol::checkRemoved("hod")) return;  // interop tests only (protocol/seeded_fault.hpp)
  if (!protocol::constantTimeEqual(r.hod, r.oi.hod))
    throw ProtocolError(ErrorCode::unspecifiedFailure, "HOD does not match the order and amount offered");
}

}  // namespace setpay::merchant
