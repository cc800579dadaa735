#include "interop/merchant_cases.hpp"

#include <algorithm>
#include <initializer_list>

#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/reply.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/messages/types.hpp"
#include "protocol/purchase/derivations.hpp"

namespace setpay::interop {

using namespace protocol;

namespace {

// The PRes for the PReq just sent (XID, RRPID and Chall-C echoed), and its one payload.
const PResPayload& pResFor(const MerchantAnswer& a, const MerchantSession& s, const Bytes& rrpid) {
  if (!a.pRes) throw CaseFailure("expected a PRes, got " + a.describe());
  const PResData& d = a.pRes->data;
  if (d.transIDs.xid != s.pInitRes.transIDs.xid) throw CaseFailure("the PRes carries another XID");
  if (d.rrpid != rrpid) throw CaseFailure("the PRes does not echo the request's RRPID");
  if (d.pResPayloadSeq.size() != 1) throw CaseFailure("the PRes does not carry exactly one PResPayload");
  return d.pResPayloadSeq.front();
}

std::optional<AuthCode> authCodeOf(const PResPayload& p) {
  if (p.results && p.results->authStatus) return p.results->authStatus->authCode;
  return std::nullopt;
}

bool approvedPRes(const MerchantAnswer& a) {
  if (!a.pRes) return false;
  for (const auto& p : a.pRes->data.pResPayloadSeq)
    if (authCodeOf(p) == AuthCode::approved) return true;
  return false;
}

std::string errorName(const ErrorTBS& e) { return std::string(name(static_cast<ErrorCode>(e.errorCode))); }

// A request SET requires the merchant to refuse itself: a SET Error (CaseFailure for anything else).
std::string refusedWithError(MerchantPlayer& p, const std::string& label, const Bytes& request) {
  const MerchantAnswer a = p.exchange(label, request);
  if (approvedPRes(a)) throw CaseFailure("APPROVED where SET requires a refusal: " + a.describe());
  if (!a.error) throw CaseFailure("expected a SET Error, got " + a.describe());
  return "refused: Error " + errorName(*a.error);
}

// A refusal SET names: an Error with one of `codes` (a refusal for another reason says the case did not
// test what it names, e.g. a signature that does not verify).
std::string refusedWithErrorCode(MerchantPlayer& p, const std::string& label, const Bytes& request,
                                 std::initializer_list<ErrorCode> codes) {
  const MerchantAnswer a = p.exchange(label, request);
  if (approvedPRes(a)) throw CaseFailure("APPROVED where SET requires a refusal: " + a.describe());
  if (!a.error) throw CaseFailure("expected a SET Error, got " + a.describe());
  if (std::find(codes.begin(), codes.end(), static_cast<ErrorCode>(a.error->errorCode)) == codes.end()) {
    std::string wanted;
    for (ErrorCode c : codes) wanted += (wanted.empty() ? "" : " or ") + std::string(name(c));
    throw CaseFailure("refused with Error " + errorName(*a.error) + ", SET requires " + wanted);
  }
  return "refused: Error " + errorName(*a.error);
}

// FloatingPoint equal to 1 (1e0, 10e-1, 1000e-3, …).
bool isOne(const FloatingPoint& f) {
  std::int64_t m = f.mantissa;
  int e = f.exponent10;
  while (e < 0 && m != 0 && m % 10 == 0) {
    m /= 10;
    ++e;
  }
  return m == 1 && e == 0;
}

// What a PRes or InqRes must say of a purchase authorized and captured in one step.
void requireCaptured(const std::string& what, const PResPayload& r, const MerchantAnswer& a) {
  if (authCodeOf(r) != AuthCode::approved) throw CaseFailure(what + " does not report an approved authorization: " + a.describe());
  if (r.completionCode != CompletionCode::capturePerformed)
    throw CaseFailure(what + " CompletionCode " + std::string(name(r.completionCode)) +
                      " from a merchant said to capture with authorization (--capture-now)");
  const auto& cap = r.results->capStatus;
  if (!cap) throw CaseFailure(what + " says capturePerformed without a CapStatus");
  if (cap->capCode != CapCode::success) throw CaseFailure(what + " CapStatus CapCode " + std::string(name(cap->capCode)));
  if (!isOne(cap->capRatio))
    throw CaseFailure(what + " CapRatio " + std::to_string(cap->capRatio.mantissa) + "e" +
                      std::to_string(cap->capRatio.exponent10) + ": not the whole purchase captured");
}

std::string approved(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  const MerchantAnswer a = p.exchange("PReq", p.pReq(s));
  const PResPayload& r = pResFor(a, s, p.lastPReqRRPID);
  if (authCodeOf(r) != AuthCode::approved) throw CaseFailure("expected an approved authorization, got " + a.describe());
  if (r.completionCode != CompletionCode::authorizationPerformed && r.completionCode != CompletionCode::capturePerformed)
    throw CaseFailure("CompletionCode " + std::string(name(r.completionCode)) + " after an approved authorization");
  return a.describe();
}

std::string declined(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.declinedCents);
  const MerchantAnswer a = p.exchange("PReq", p.pReq(s));
  const PResPayload& r = pResFor(a, s, p.lastPReqRRPID);
  if (!authCodeOf(r)) throw CaseFailure("a declined authorization must be reported in PRes Results: " + a.describe());
  if (authCodeOf(r) == AuthCode::approved) throw CaseFailure("APPROVED an amount the gateway's issuer declines");
  return a.describe();
}

std::string inquiry(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  const MerchantAnswer paid = p.exchange("PReq", p.pReq(s));
  if (!approvedPRes(paid)) throw CaseFailure("the purchase to inquire about was not approved: " + paid.describe());
  const MerchantAnswer a = p.exchange("InqReq", p.inqReq(s));
  const PResPayload& r = pResFor(a, s, p.lastPReqRRPID);
  if (authCodeOf(r) != AuthCode::approved) throw CaseFailure("InqRes does not report the approval: " + a.describe());
  return "InqRes " + std::string(name(r.completionCode));
}

std::string captureNow(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  const MerchantAnswer a = p.exchange("PReq", p.pReq(s));
  requireCaptured("PRes", pResFor(a, s, p.lastPReqRRPID), a);
  const MerchantAnswer q = p.exchange("InqReq", p.inqReq(s));
  requireCaptured("InqRes", pResFor(q, s, p.lastPReqRRPID), q);
  return "PRes and InqRes: capturePerformed, CapCode success, CapRatio 1";
}

std::string tamperedOIData(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  // Changed after the card signed: the dual signature no longer covers OIData.
  return refusedWithError(p, "PReq", p.pReq(s, {}, nullptr, {}, [](PReqDualSigned& d) { d.oiData.bin = "999999"; }));
}

std::string dualSignatureMismatch(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  // The last byte of the PI signature's value flipped: well-formed, but it does not verify.
  return refusedWithError(p, "PReq", p.pReq(s, {}, nullptr, {}, [](PReqDualSigned& d) { d.piDualSigned.piSignature.back() ^= 0x01; }));
}

std::string replayedPReq(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  const Bytes request = p.pReq(s);
  const MerchantAnswer first = p.exchange("PReq", request);
  if (!approvedPRes(first)) throw CaseFailure("the first PReq was not approved: " + first.describe());
  const MerchantAnswer second = p.exchange("PReq", request);
  if (second.error) return "replay refused: Error " + errorName(*second.error);
  if (second.der == first.der) return "replay answered with the byte-identical PRes";
  if (second.pRes && second.describe() == first.describe()) return "replay answered with the same PRes";
  throw CaseFailure("the replay got another answer: " + second.describe());
}

std::string wrongChallM(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  return refusedWithError(p, "PReq", p.pReq(s, [&](PReqParts& parts) { parts.oi.challM = p.random.bytes(limits::nonce); }));
}

std::string unknownXID(MerchantPlayer& p) {
  MerchantSession s = p.initiate(p.approvedCents);
  s.pInitRes.transIDs.xid = p.random.bytes(limits::nonce);
  return refusedWithError(p, "PReq", p.pReq(s));
}

std::string orderAlreadyPaid(MerchantPlayer& p) {
  MerchantSession s = p.initiate(p.approvedCents);
  const MerchantAnswer paid = p.exchange("PReq", p.pReq(s));
  if (!approvedPRes(paid)) throw CaseFailure("the first payment was not approved: " + paid.describe());
  // A second wallet session for the same wake-up (same LID-M).
  MerchantSession again;
  again.wakeUp = s.wakeUp;
  const MerchantAnswer init = p.exchange("PInitReq", p.pInitReq(again));
  if (init.error) return "refused at PInitReq: Error " + errorName(*init.error);
  p.acceptPInitRes(again, init);
  again.merchantSigner = pki::share(s.merchantSigner.get());
  again.certPE = pki::share(s.certPE.get());
  again.merID = s.merID;
  const MerchantAnswer second = p.exchange("PReq", p.pReq(again));
  if (approvedPRes(second)) throw CaseFailure("the order was paid twice: " + second.describe());
  return "second payment: " + second.describe();
}

std::string cardholderOf(MerchantPlayer& p, const pki::Credential& card, const CarriedCertificates& extra) {
  const MerchantSession s = p.initiate(p.approvedCents);
  return refusedWithError(p, "PReq", p.pReq(s, {}, &card, extra));
}

std::string cardholderExpired(MerchantPlayer& p) { return cardholderOf(p, p.impostors().expiredCardholder, {}); }
std::string cardholderWrongType(MerchantPlayer& p) { return cardholderOf(p, p.impostors().mistypedCardholder, {}); }

// Revoked after DIR's CRLs were written: the PReq carries the CCA's newer CRL listing it (the way a
// cardholder passes on what its CA published), so a merchant that validates the chain with the newest
// CRL at hand sees the revocation. revokedCertificate is the one ErrorCode that tells the wallet why.
std::string cardholderRevoked(MerchantPlayer& p) {
  const Impostors& i = p.impostors();
  CarriedCertificates newer;
  newer.crls.push_back(i.ccaCrlRevokingIt.get());
  const MerchantSession s = p.initiate(p.approvedCents);
  return refusedWithErrorCode(p, "PReq", p.pReq(s, {}, &i.revokedCardholder, newer), {ErrorCode::revokedCertificate});
}

// Otherwise valid (our CCA, the card's subject, signed by the CCA): only the unknown critical extension
// is wrong. X.509 and SET: a certificate with a critical extension the validator does not know is refused.
std::string cardholderUnknownCriticalExtension(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  return refusedWithErrorCode(p, "PReq", p.pReq(s, {}, &p.impostors().unknownCriticalCardholder, {}),
                              {ErrorCode::invalidCertificate, ErrorCode::unrecognizedExtension});
}
// Refused by the merchant (Error), or declined by its gateway (cardMerchBrandMismatch): never approved.
std::string cardholderOtherBrand(MerchantPlayer& p) {
  const Impostors& i = p.impostors();
  CarriedCertificates theirs;
  theirs.certificates = {i.otherBrand.cert.get(), i.otherBrandCca.cert.get()};
  for (const auto& crl : i.otherBrandCcaCrls) theirs.crls.push_back(crl.get());
  const MerchantSession s = p.initiate(p.approvedCents);
  const MerchantAnswer a = p.exchange("PReq", p.pReq(s, {}, &i.otherBrandCardholder, theirs));
  if (approvedPRes(a)) throw CaseFailure("APPROVED a card of another brand: " + a.describe());
  if (!a.error && !a.pRes) throw CaseFailure("expected an Error or a PRes, got " + a.describe());
  return "not approved: " + a.describe();
}

std::string wrongBrandID(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  return refusedWithError(p, "PReq", p.pReq(s, [](PReqParts& parts) { parts.oi.brandID = "OTHERPAY"; }));
}

// The cardholder agreed to another order description (HOD over it, same amount): the merchant must
// not charge for its own order.
std::string orderDescriptionMismatch(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  return refusedWithError(p, "PReq", p.pReq(s, [&](PReqParts& parts) {
    parts.oi.hod = hod(p.pki.profile, HODInput{toBytes("another order"), s.wakeUp.purchAmt, parts.oi.odSalt, std::nullopt, {}});
    parts.head.hod = parts.oi.hod;
  }));
}

std::string inquiryByAnotherCardholder(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  const MerchantAnswer paid = p.exchange("PReq", p.pReq(s));
  if (!approvedPRes(paid)) throw CaseFailure("the purchase to inquire about was not approved: " + paid.describe());
  return refusedWithError(p, "InqReq", p.inqReq(s, &p.impostors().anotherCardholder));
}

// OIData and PIHead carry another LID-C than the one PInitRes answered (same XID).
std::string transIDsOfAnotherSession(MerchantPlayer& p) {
  MerchantSession s = p.initiate(p.approvedCents);
  s.lidC = s.pInitRes.transIDs.lidC = p.random.bytes(8);
  return refusedWithError(p, "PReq", p.pReq(s));
}

// Two PInitReq for one order (two tabs): the first transaction is superseded and its PReq refused.
std::string supersededTransaction(MerchantPlayer& p) {
  const MerchantSession first = p.initiate(p.approvedCents);
  MerchantSession second;
  second.wakeUp = first.wakeUp;
  p.acceptPInitRes(second, p.exchange("PInitReq", p.pInitReq(second)));
  return refusedWithError(p, "PReq", p.pReq(first));
}

std::string inquiryFromAnotherSession(MerchantPlayer& p) {
  MerchantSession s = p.initiate(p.approvedCents);
  const MerchantAnswer paid = p.exchange("PReq", p.pReq(s));
  if (!approvedPRes(paid)) throw CaseFailure("the purchase to inquire about was not approved: " + paid.describe());
  s.lidC = s.pInitRes.transIDs.lidC = p.random.bytes(8);  // the right XID, another LID-C
  return refusedWithError(p, "InqReq", p.inqReq(s));
}

// A valid PReq with its outermost length rewritten in a longer form than DER allows.
std::string berInsteadOfDer(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  const Bytes der = p.pReq(s);
  if (der.size() < 4 || der[1] < 0x81 || der[1] > 0x83) throw CaseFailure("unexpected PReq encoding");
  const std::size_t lengthBytes = der[1] & 0x7fU;
  Bytes ber{der[0], static_cast<std::uint8_t>(0x80U | (lengthBytes + 1)), 0x00};
  ber.insert(ber.end(), der.begin() + 2, der.end());
  return refusedWithError(p, "PReq", ber);
}

std::string trailingBytes(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  Bytes request = p.pReq(s);
  request.push_back(0x05);
  request.push_back(0x00);
  return refusedWithError(p, "PReq", request);
}

std::string truncatedMessage(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  Bytes request = p.pReq(s);
  request.resize(request.size() / 2);
  return refusedWithError(p, "PReq", request);
}

std::string oversizedMessage(MerchantPlayer& p) {
  Bytes big(128 * 1024, 0x30);
  const Reply r = p.link.post("PReq", big);
  if (r.status == 413) return "HTTP 413";
  if (r.status == 200) {
    const MerchantAnswer a = p.exchange("PReq", big);
    if (a.error) return "refused: Error " + errorName(*a.error);
  }
  throw CaseFailure("a 128 KiB body was answered with HTTP " + std::to_string(r.status));
}

std::string wrongContentType(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  const Reply r = p.link.post("PReq", p.pReq(s), "text/plain");
  if (r.status >= 400 && r.status < 500) return "HTTP " + std::to_string(r.status);
  throw CaseFailure("a PReq posted as text/plain was answered with HTTP " + std::to_string(r.status));
}

std::string errorIsNotAnswered(MerchantPlayer& p) {
  const MerchantSession s = p.initiate(p.approvedCents);
  ErrorTBS e;
  e.errorCode = static_cast<int>(ErrorCode::unspecifiedFailure);
  e.errorNonce = p.random.bytes(limits::nonce);
  MessageHeader h = messageHeader(p.clock, "setpay-interop", nullptr, p.random.bytes(limits::nonce));
  h.messageIDs = MessageIDs{s.lidC, s.wakeUp.lidM, s.pInitRes.transIDs.xid};
  e.errorMsg = h;
  SoftwareSigner cardholder(pki::share(p.pki.card.credential.cert.get()), pki::share(p.pki.card.credential.key.get()));
  const Bytes request = encode(MessageWrapper{h, buildSignedError(p.pki.profile, cardholder, p.clock, e), {}});
  const MerchantAnswer a = p.exchange("Error", request);
  if (a.error) throw CaseFailure("an Error was answered with an Error (" + errorName(*a.error) + ")");
  if (!a.empty) throw CaseFailure("an Error was answered with " + a.describe());
  return "no answer, as SET requires";
}

}  // namespace

const std::vector<Case<MerchantPlayer>>& merchantCases() {
  static const std::vector<Case<MerchantPlayer>> cases{
      {"approved", "a valid purchase gets a signed PRes echoing XID and RRPID, authorization approved", approved},
      {"declined", "an amount the issuer declines gets a PRes whose Results report the decline", declined},
      {"inquiry", "InqReq after a purchase gets an InqRes reporting its authorization", inquiry},
      {"capture-now", "a merchant capturing with authorization answers PRes and InqRes capturePerformed, CapStatus success",
       captureNow, [](const MerchantPlayer& p) { return p.merchantCapturesNow; },
       "needs --capture-now: the merchant under test configured to capture with authorization"},
      {"tampered-oidata", "OIData changed after the dual signature gets an Error", tamperedOIData},
      {"dual-signature-mismatch", "a dual signature the cardholder certificate does not verify gets an Error",
       dualSignatureMismatch},
      {"replayed-preq", "the same PReq again gets the same PRes or an Error, never a second authorization", replayedPReq},
      {"wrong-brand-id", "OIData naming another brand than PInitReq gets an Error", wrongBrandID},
      {"order-description-mismatch", "a HOD over another order description than the one offered gets an Error",
       orderDescriptionMismatch},
      {"inquiry-by-another-cardholder", "an InqReq signed by another cardholder than the PReq gets an Error",
       inquiryByAnotherCardholder},
      {"transids-of-another-session", "a PReq whose TransIDs differ from those PInitRes gave gets an Error",
       transIDsOfAnotherSession},
      {"superseded-transaction", "after a second PInitReq for the same order, a PReq for the first transaction gets an Error",
       supersededTransaction},
      {"inquiry-from-another-session", "an InqReq whose LID-C is not the purchase's gets an Error", inquiryFromAnotherSession},
      {"wrong-chall-m", "OIData whose Chall-M is not the one PInitRes sent gets an Error", wrongChallM},
      {"unknown-xid", "a PReq for an XID the merchant never issued gets an Error", unknownXID},
      {"order-already-paid", "a second payment of a paid order (new PInitReq, same LID-M) is not approved", orderAlreadyPaid},
      {"cardholder-certificate-expired", "a PReq signed under an expired cardholder certificate gets an Error",
       cardholderExpired},
      {"cardholder-certificate-wrong-type", "a PReq signed under a non-cardholder certificate type gets an Error",
       cardholderWrongType},
      {"cardholder-certificate-revoked",
       "a PReq signed under a revoked cardholder certificate, the newer CRL listing it carried, gets Error revokedCertificate",
       cardholderRevoked},
      {"unknown-critical-extension",
       "a PReq signed under a cardholder certificate with an unknown critical extension gets Error invalidCertificate "
       "(or unrecognizedExtension)",
       cardholderUnknownCriticalExtension},
      {"cardholder-certificate-other-brand", "a cardholder certificate of another brand than OIData's is not approved",
       cardholderOtherBrand},
      {"ber-instead-of-der", "a length in a non-minimal (BER) form gets an Error", berInsteadOfDer},
      {"trailing-bytes", "a message followed by a well-formed element gets an Error", trailingBytes},
      {"truncated-message", "a truncated message gets an Error", truncatedMessage},
      {"oversized-message", "a body over the size limit is refused (HTTP 413 or an Error)", oversizedMessage},
      {"wrong-content-type", "a body that is not application/set-payment is refused at the HTTP layer (4xx)", wrongContentType},
      {"error-not-answered", "an Error sent to the merchant is never answered with an Error", errorIsNotAnswered},
  };
  return cases;
}

}  // namespace setpay::interop
