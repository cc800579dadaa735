// AuthReq = EncB(M, P, AuthReqData, PI) made for an accepted PReq, and the gateway's answer read back
// (SET Book 2 AuthReq / AuthRes). Split in two so that nothing is held while the gateway answers: the AuthReq is
// recorded with the purchase (authorizing) and returned to the caller; processAuthRes settles it.
// Only an authenticated answer settles it: an AuthRes that opens and passes our checks, or an Error
// signed by a gateway certificate that validates (SPEC-CHOICES.md "## cardholder and merchant").
#include "merchant/merchant.hpp"
#include "merchant/preq_context.hpp"
#include "merchant/payment_response.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/messages/sealed.hpp"

namespace setpay::merchant {

namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ByteView;
using protocol::ErrorCode;
using protocol::ProtocolError;

// ---- build AuthReq

MerchantStep Merchant::requestAuthorization(PReqContext& r) {
  const auto& profile = config_.profile;
  protocol::AuthReqData d;
  protocol::AuthReqItem& item = d.authReqItem;
  item.authTags.authRRTags = protocol::RRTags{random_.bytes(protocol::limits::nonce),
                                              protocol::MerTermIDs{merchantID_, {}, {}, {}, {}}, now()};
  item.authTags.transIDs = r.oi.transIDs;
  item.checkDigests = protocol::CheckDigests{protocol::hOIData(profile, r.oi), r.hod};
  item.authReqPayload.authReqAmt = r.tx.order.amount;
  d.captureNow = config_.captureNow;
  const Bytes authRRPID = item.authTags.authRRTags.rrpid;

  // Cert-MK rides along so the gateway can encrypt AuthRes without a prior registration; the CA
  // certificates do not: the gateway holds its brand's (SPEC-CHOICES "Thumbs and BrandCRLIdentifier").
  protocol::SignOptions carried;
  carried.extra.certificates.push_back(config_.keyExchange.cert.get());
  const protocol::AuthReq req = protocol::buildAuthReq(profile, random_, clock_, signer_, config_.gatewayKeyExchange.get(),
                                                       d, protocol::piOf(r.preq), carried);
  Bytes authReq = wrap(req, r.oi.transIDs, authRRPID);

  // Chall-M consumed before the AuthReq leaves: a replayed PReq can never be authorized twice.
  Transaction authorizing = r.tx;
  authorizing.state = Authorizing{r.wrapper.messageHeader, r.oi.rrpid, r.oi.challC, authRRPID, authReq};
  if (!store_.replaceTransaction(authorizing, TransactionState::awaitingPReq))
    throw ProtocolError(ErrorCode::challengeMismatch, "Chall-M consumed by a concurrent PReq");
  return {{}, AuthorizationRequest{r.tx.transIDs.xid, std::move(authReq)}};
}

// ---- the same PReq again (same TransIDs, RRPID and Chall-C): its AuthReq awaits an answer, or it was
// answered and its PRes lost on the way (a crash, a timeout). Anything else: nullopt, and handle() decides.

std::optional<Merchant::RepeatedPReq> Merchant::findRepeatedPReq(ByteView in) const {
  try {
    const protocol::MessageWrapper w = protocol::decode<protocol::MessageWrapper>(in);
    const auto* preq = std::get_if<protocol::PReq>(&w.message);
    if (!preq) return std::nullopt;
    const protocol::OIData& oi = std::visit([](const auto& x) -> const protocol::OIData& { return x.oiData; }, preq->value);
    auto tx = store_.findTransaction(oi.transIDs.xid);
    if (!tx || tx->transIDs != oi.transIDs) return std::nullopt;
    return RepeatedPReq{std::move(*tx), oi.rrpid, oi.challC};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool Merchant::RepeatedPReq::answers(const Bytes& pReqRRPID, const Bytes& keptChallC) const {
  return !pReqRRPID.empty() && protocol::constantTimeEqual(rrpid, pReqRRPID) && protocol::constantTimeEqual(challC, keptChallC);
}

std::optional<AuthorizationRequest> Merchant::pendingAuthorization(ByteView in) {
  const std::lock_guard lock(mutex_);
  const auto repeated = findRepeatedPReq(in);
  const auto* pending = repeated ? std::get_if<Authorizing>(&repeated->tx.state) : nullptr;
  if (!pending || !repeated->answers(pending->pReqRRPID, pending->challC)) return std::nullopt;
  // Sending the kept AuthReq again is idempotent at the gateway, so a copy of the PReq made by
  // anyone gets no more than the original: the same answer.
  return AuthorizationRequest{repeated->tx.transIDs.xid, pending->authReq};
}

std::optional<Bytes> Merchant::repeatedAnswer(ByteView in) {
  const std::lock_guard lock(mutex_);
  const auto repeated = findRepeatedPReq(in);
  const auto* answered = repeated ? std::get_if<Answered>(&repeated->tx.state) : nullptr;
  if (!answered || !repeated->answers(answered->pReqRRPID, answered->challC)) return std::nullopt;
  // The same PRes content, signed anew: it tells a copy of the PReq nothing the original did not.
  return pRes(repeated->tx, answered->pReqRRPID, answered->challC, answered->response, false);
}

// ---- on AuthRes

Bytes Merchant::processAuthRes(ByteView xid, ByteView answer) {
  const std::lock_guard lock(mutex_);
  const auto tx = store_.findTransaction(xid);
  if (!tx) throw ProtocolError(ErrorCode::unknownXID, "no transaction with this XID");
  const auto* pending = std::get_if<Authorizing>(&tx->state);
  if (!pending) throw ProtocolError(ErrorCode::unknownRRPID, "no AuthReq of this transaction awaits an answer");

  Transaction settled = *tx;
  try {
    if (answer.empty()) throw ProtocolError(ErrorCode::unspecifiedFailure, "no answer from the payment gateway");
    const protocol::MessageWrapper w = protocol::decode<protocol::MessageWrapper>(answer);
    if (const auto* error = std::get_if<protocol::Error>(&w.message)) {
      settled.state = Failed{openGatewayError(*error)};
    } else if (const auto* res = std::get_if<protocol::AuthRes>(&w.message)) {
      const Authorization a = openAuthRes(*pending, tx->transIDs, *res);
      settled.state = Answered{a, paymentResponse(a, a.capture, tx->order.amount, now()), pending->pReqRRPID, pending->challC};
    } else {
      throw ProtocolError(ErrorCode::messageNotSupported, "the gateway answered neither AuthRes nor Error");
    }
  } catch (const std::exception&) {
    // Not an authenticated answer: the outcome is unknown, the purchase stays authorizing. The
    // cardholder learns that much (unspecifiedFailure; InqRes says orderReceived), not our reason.
    protocol::ErrorReport report;
    report.code = ErrorCode::unspecifiedFailure;
    return errorFor(report, pending->pReqHeader, {}, false);
  }
  if (!store_.replaceTransaction(settled, TransactionState::authorizing))
    throw ProtocolError(ErrorCode::unknownRRPID, "the transaction was settled meanwhile");
  if (const auto* failed = std::get_if<Failed>(&settled.state)) {
    // The gateway refused the AuthReq: the cardholder gets our own signed Error with its code, so the
    // wallet learns why (e.g. thumbsMismatch for a PI naming another Cert-PE).
    return errorFor(protocol::ErrorReport{failed->error, std::nullopt, std::nullopt}, pending->pReqHeader, {}, false);
  }
  return pRes(settled, pending->pReqRRPID, pending->challC, std::get<Answered>(settled.state).response, false);
}

Authorization Merchant::openAuthRes(const Authorizing& pending, const protocol::TransIDs& ids,
                                    const protocol::AuthRes& res) const {
  const auto& profile = config_.profile;
  const auto opened = protocol::open(profile, config_.keyExchange.key.get(), config_.signature.cert.get(), res);
  (void)pki::validateCarried(profile, config_.trust, opened.signature.signer.get(), opened.signature,
                             pki::Role::gatewaySignature, clock_);
  if (config_.hardening && !protocol::findMerchantIdentity(opened.data.authResPayload.aRsExtensions))
    throw ProtocolError(ErrorCode::thumbsMismatch, "AuthRes does not name the merchant it answers");
  if (!protocol::constantTimeEqual(opened.data.authTags.authRRTags.rrpid, pending.authRRPID))
    throw ProtocolError(ErrorCode::unknownRRPID, "AuthRes answers another AuthReq");
  if (opened.data.authTags.transIDs.xid != ids.xid) throw ProtocolError(ErrorCode::unknownXID, "AuthRes is for another XID");

  const protocol::AuthHeader& h = opened.data.authResPayload.authHeader;
  Authorization a;
  a.authRRPID = pending.authRRPID;
  a.authCode = h.authCode;
  if (h.responseData.authValCodes) a.approvalCode = h.responseData.authValCodes->approvalCode;
  a.respReason = h.responseData.respReason;
  a.authAmt = h.authAmt;
  a.capToken = opened.baggage.capToken;
  a.capture = opened.data.authResPayload.capResPayload;
  return a;
}

ErrorCode Merchant::openGatewayError(const protocol::Error& error) const {
  // An Error ends the purchase only if a gateway signed it: signature checked, then the signer's chain
  // validated for the role gatewaySignature (an unsigned Error, or one signed by anyone else, is not).
  const auto opened = protocol::open(config_.profile, error);
  if (!opened.signature) throw ProtocolError(ErrorCode::signatureRequired, "unsigned Error from the gateway");
  (void)pki::validateCarried(config_.profile, config_.trust, opened.signature->signer.get(), *opened.signature,
                             pki::Role::gatewaySignature, clock_);
  return protocol::errorCodeOf(opened.data.errorCode);
}

}  // namespace setpay::merchant
