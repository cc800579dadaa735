// AuthReq → AuthRes (SET Book 2, the gateway's AuthReq processing), one named step per check.
// Protocol failures throw Refusal (answered with a SET Error by handle()); business outcomes throw
// Decline (answered with an AuthRes carrying the AuthCode). Choices (tolerance, codes, capture) are in SPEC-CHOICES.md "## gateway".
#include <openssl/objects.h>

#include "gateway/amount.hpp"
#include "gateway/payment_gateway.hpp"
#include "gateway/refusal.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/pki/cardholder.hpp"
#include "protocol/purchase/derivations.hpp"
#include "protocol/seeded_fault.hpp"

namespace setpay::gateway {

using namespace protocol;

struct PaymentGateway::AuthContext {
  const MessageWrapper& wrapper;
  OpenedAuthReq request;   // AuthReqData, PI (baggage), the merchant's verified signature
  Bytes requestDigest;     // H(AuthReqData ∥ PI): what "the same AuthReq" means for the replay cache
  Bytes piDigest;          // H(PI): the PI-used record
  MerchantParty merchant;
  OpenedPI pi;
  // Done ahead by prepare(), outside the write transaction; a failure is raised at its own step.
  std::exception_ptr openFailure, piFailure, cardholderFailure;
  // Also ahead: the CapToken an approval carries (its TokenOpaque drawn here), so that after the issuer's
  // answer only the AuthRes's own signature remains (issue 13: less work while the transaction is held).
  Bytes tokenOpaque;
  std::optional<CapToken> capToken;

  const AuthReqItem& item() const { return request.data.authReqItem; }
  const AuthTags& tags() const { return item().authTags; }
  const PIHead& piHead() const { return *pi.piHead; }
};

struct PaymentGateway::AuthOutcome {
  AuthCode authCode = AuthCode::unspecifiedFailure;
  std::string approvalCode;
  std::optional<std::int64_t> respReason;
  Bytes tokenOpaque;                           // the authorization's handle (CapToken), when approved
  std::optional<CapResPayload> capResPayload;  // CaptureNow
  bool issuerAsked = false;                    // the issuer decided (counts against maxIssuerAttempts)
  bool approved() const { return authCode == AuthCode::approved; }
};

// ---- the sequence

// prepare() and its Prepared live here, where AuthContext is complete.
PaymentGateway::Prepared::Prepared() = default;
PaymentGateway::Prepared::Prepared(Prepared&&) noexcept = default;
PaymentGateway::Prepared& PaymentGateway::Prepared::operator=(Prepared&&) noexcept = default;
PaymentGateway::Prepared::~Prepared() = default;
PaymentGateway::Decided::Decided(Prepared& p) : prepared_(&p) {}
PaymentGateway::Decided::Decided(Decided&&) noexcept = default;
PaymentGateway::Decided& PaymentGateway::Decided::operator=(Decided&&) noexcept = default;
PaymentGateway::Decided::~Decided() = default;


PaymentGateway::Prepared PaymentGateway::prepare(ByteView wrapperDer) {
  Prepared p;
  p.in.assign(wrapperDer.begin(), wrapperDer.end());
  try {
    p.wrapper = std::make_unique<MessageWrapper>(decode<MessageWrapper>(wrapperDer));  // strict DER, size, version
    if (const auto* authReq = std::get_if<AuthReq>(&p.wrapper->message)) {
      p.auth = std::make_unique<AuthContext>(AuthContext{*p.wrapper, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}});
      prepareAuthReq(*p.auth, *authReq);
    }
  } catch (...) {
    p.decodeFailure = std::current_exception();
  }
  return p;
}

// The opening crypto, in the order decideAuthReq/authorize take its results (prepare(): any thread).
void PaymentGateway::prepareAuthReq(AuthContext& r, const AuthReq& authReq) {
  try {
    openAuthReq(r, authReq);                        // 1. EncB with our key-exchange key
    validateMerchantChain(r);                       // 1. Cert-MS chain and brand; Cert-MK for the reply
  } catch (...) {
    r.openFailure = std::current_exception();
    return;
  }
  try {
    openPI(r);                                      // 2. OAEP → PANData / PANToken; the dual signature
  } catch (...) {
    r.piFailure = std::current_exception();
    return;
  }
  if (r.pi.panData) {
    try {
      verifyCardholder(r);                          // 4/6. chain, brand, unique ID, TransStain, expiry
    } catch (...) {
      r.cardholderFailure = std::current_exception();
      return;
    }
  }
  if (r.pi.panData || !config_.requireCardholderSignature)
    signCapTokenAhead(r);                           // 9. the CapToken, should the issuer approve
}

namespace {
void raise(const std::exception_ptr& failure) {
  if (failure) std::rethrow_exception(failure);
}
}  // namespace

// decide(); build() then signs the AuthRes (9.) and record() keeps it for replays.
void PaymentGateway::decideAuthReq(AuthContext& r, Decided& d) {
  raise(r.openFailure);                             // 1. EncB opened, Cert-MS chain and brand, Cert-MK (prepared)
  checkFreshness(r.tags().authRRTags.date);         //    replay window
  if (auto sameAnswer = checkReplay(r)) {           // (XID, RRPID) seen: the same AuthRes
    d.reply_ = std::move(*sameAnswer);
    return;
  }
  if (twinAwaitsItsAuthRes(r)) {                    // seen, its AuthRes not yet recorded: ask again then
    d.kind_ = Decided::Kind::later;
    return;
  }
  AuthOutcome outcome = authorize(r);               // 2–8, or a decline
  if (outcome.approved() && r.request.data.captureNow) captureNow(r, outcome);
  recordOutcome(r, outcome);
  decidedNotRecorded_.insert(replayKeyOf(r));
  d.kind_ = Decided::Kind::authRes;
  d.outcome_ = std::make_unique<AuthOutcome>(std::move(outcome));
}

ReplayKey PaymentGateway::replayKeyOf(const AuthContext& r) {
  return ReplayKey{"AuthReq", r.tags().transIDs.xid, r.tags().authRRTags.rrpid};
}

PaymentGateway::AuthOutcome PaymentGateway::authorize(AuthContext& r) {
  try {
    raise(r.piFailure);           // 2. OAEP → PANData / PANToken; the cardholder's dual signature (prepared)
    checkPIAge(r);                //    PIHead PReqDate within maxPIAge
    compareTransIDs(r);           // 3. AuthTags vs PIHead → piAuthMismatch
    checkGatewayThumb(r);         //    a Cert-PE the PI names is ours (required when hardened)
    if (r.pi.panData)
      raise(r.cardholderFailure);  // 4/6. chain, brand, unique ID, TransStain, expiry (prepared)
    else
      requireCardholderSignature(r);  // 4. unsigned PI → signatureRequired
    checkLinkage(r);              // 6. HOIData, HOD, merchantID agree with the merchant's view
    checkAmount(r);               // 7. → amountError
    checkPIUnused(r);             // 5. → piPreviouslyUsed
    checkIssuerAttempts(r);       //    declined maxIssuerAttempts times → piPreviouslyUsed
    return askIssuer(r);          // 8.
  } catch (const Decline& d) {
    return AuthOutcome{d.code(), "", d.respReason(), {}, std::nullopt, false};
  }
}

// ---- the steps

void PaymentGateway::openAuthReq(AuthContext& r, const AuthReq& authReq) {
  // EncB: OAEP + symmetric part, the merchant's signature, DD(baggage) against the PI received.
  r.request = open(config_.profile, config_.keyExchange.key.get(), authReq);
  checkWrapperMatches(r.wrapper.messageHeader, &r.tags().authRRTags.rrpid, &r.tags().transIDs);
  const Bytes piDer = encode(r.request.pi);
  r.requestDigest = H(config_.profile, concat({encode(r.request.data), piDer}));
  r.piDigest = H(config_.profile, piDer);
}

void PaymentGateway::validateMerchantChain(AuthContext& r) {
  r.merchant = validateMerchant(r.request.signature, r.tags().authRRTags.merTermIDs.merchantID);
}

bool PaymentGateway::twinAwaitsItsAuthRes(const AuthContext& r) const {
  return decidedNotRecorded_.contains(replayKeyOf(r));
}

std::optional<Bytes> PaymentGateway::checkReplay(const AuthContext& r) {
  if (checkRemoved("replay-cache")) return std::nullopt;  // interop tests only (protocol/seeded_fault.hpp)
  return replayed(replayKeyOf(r), r.requestDigest);
}

void PaymentGateway::openPI(AuthContext& r) {
  // Under a hardened profile open() already refuses a PI naming another Cert-PE (thumbsMismatch).
  r.pi = open(config_.profile, config_.keyExchange.key.get(), config_.keyExchange.cert.get(), r.request.pi);
  if (r.pi.authToken)
    throw Refusal(ErrorCode::messageNotSupported, "AuthToken PIs (subsequent authorizations) are not supported");
}

void PaymentGateway::checkPIAge(const AuthContext& r) const {
  // A PI authorizes one purchase made now, not a standing order: bounded like a request's date.
  const TimePoint pReqDate = r.piHead().transIDs.pReqDate;
  const TimePoint now = clock_.now();
  if (pReqDate < now - config_.maxPIAge) throw Refusal(ErrorCode::messageTooOld, "PI's PReqDate is older than maxPIAge");
  if (pReqDate > now + config_.clockSkew) throw Refusal(ErrorCode::messageTooNew, "PI's PReqDate is in the future");
}

void PaymentGateway::compareTransIDs(const AuthContext& r) const {
  if (checkRemoved("pi-linkage")) return;  // interop tests only (protocol/seeded_fault.hpp)
  // The merchant's TransIDs must be the ones the cardholder signed, field by field: a field the
  // AuthReq leaves out (LID-M) is a mismatch too, not a field to skip.
  const TransIDs& asked = r.tags().transIDs;
  const TransIDs& signed_ = r.piHead().transIDs;
  if (asked.xid != signed_.xid) throw Decline(AuthCode::piAuthMismatch, "XID differs between AuthTags and PIHead");
  if (asked.lidC != signed_.lidC) throw Decline(AuthCode::piAuthMismatch, "LID-C differs between AuthTags and PIHead");
  if (asked.lidM != signed_.lidM) throw Decline(AuthCode::piAuthMismatch, "LID-M differs between AuthTags and PIHead");
  if (asked != signed_)
    throw Decline(AuthCode::piAuthMismatch, "PReqDate, PaySysID or Language differs between AuthTags and PIHead");
}

void PaymentGateway::checkGatewayThumb(const AuthContext& r) const {
  // A PI that names a Cert-PE must name ours, in either profile (SPEC-CHOICES "## gateway"); the
  // hardened profile also requires the name.
  const auto named = findGatewayThumb(r.piHead().piExtensions);
  if (!named) {
    if (config_.hardening) throw Refusal(ErrorCode::thumbsMismatch, "hardened PI without the gateway-thumbprint extension");
    return;
  }
  if (!constantTimeEqual(*named, keyExchangeThumb_))
    throw Refusal(ErrorCode::thumbsMismatch, "PI was encrypted for another gateway key-exchange certificate", *named);
}

void PaymentGateway::verifyCardholder(const AuthContext& r) const {
  const PANData& panData = *r.pi.panData;
  const X509* cert = r.pi.cardholderSignature->signer.get();
  const auto expiry = pki::parseCardExpiry(panData.cardExpiry);
  if (!expiry) throw Refusal(ErrorCode::decodingFailure, "CardExpiry is not YYYYMM");
  const pki::ValidatedChain chain = validateChain(cert, *r.pi.cardholderSignature, pki::Role::cardholder, *expiry);

  // The brand of Cert-C is the organization of the Brand CA its path runs through.
  if (pki::brandOf(chain) != config_.brand)
    throw Decline(AuthCode::cardMerchBrandMismatch, "cardholder certificate is not of brand " + config_.brand);

  // The PI's card is the certificate's card: CN = unique cardholder ID = HMAC(PANSecret, PAN).
  if (!pki::holdsAccount(cert, config_.profile, panData.panSecret, panData.pan))
    throw Decline(AuthCode::piAuthMismatch, "PANData does not belong to the signing certificate");
  const Bytes stain = transStain(config_.profile, r.piHead().transIDs.xid, panData.panSecret);
  if (!constantTimeEqual(stain, r.piHead().transStain))
    throw Decline(AuthCode::piAuthMismatch, "TransStain does not match XID and PANSecret");
  checkCardNotExpired(panData.cardExpiry);
}

// prepare(): the approval's CapToken (authAmt = the amount asked, as buildAuthRes approves it). A failure
// here only means buildAuthRes signs it after all.
void PaymentGateway::signCapTokenAhead(AuthContext& r) {
  try {
    r.tokenOpaque = random_.bytes(16);
    r.capToken = buildCapToken(config_.profile, random_, clock_, signer_, config_.keyExchange.cert.get(),
                               CapTokenData{r.tags().authRRTags.rrpid, r.item().authReqPayload.authReqAmt, r.tokenOpaque});
  } catch (const std::exception&) {
    r.capToken.reset();
  }
}

void PaymentGateway::requireCardholderSignature(const AuthContext& r) const {
  if (config_.requireCardholderSignature)
    throw Decline(AuthCode::signatureRequired, "this gateway requires cardholder certificates");
  checkCardNotExpired(r.pi.panToken->cardExpiry);
}

void PaymentGateway::checkLinkage(const AuthContext& r) const {
  if (checkRemoved("pi-linkage")) return;  // interop tests only (protocol/seeded_fault.hpp)
  const auto& digests = r.item().checkDigests;
  if (!digests) throw Decline(AuthCode::piAuthMismatch, "AuthReq without CheckDigests for a PI");
  if (!constantTimeEqual(r.pi.hOIData, digests->hOIData))
    throw Decline(AuthCode::piAuthMismatch, "HOIData in the PI differs from CheckDigests.HOIData");
  if (!constantTimeEqual(r.piHead().hod, digests->hod2))
    throw Decline(AuthCode::piAuthMismatch, "PIHead.HOD differs from CheckDigests.HOD2");
  if (r.piHead().merchantID != r.merchant.merID)
    throw Decline(AuthCode::piAuthMismatch, "the PI was made out to another merchant");
}

void PaymentGateway::checkAmount(const AuthContext& r) const {
  if (checkRemoved("amount-within-pi")) return;  // interop tests only (protocol/seeded_fault.hpp)
  const CurrencyAmount& asked = r.item().authReqPayload.authReqAmt;
  const CurrencyAmount& agreed = r.piHead().purchAmt;
  if (asked.currency != agreed.currency) throw Decline(AuthCode::amountError, "AuthReqAmt currency is not PurchAmt's");
  if (asked.amount <= 0) throw Decline(AuthCode::amountError, "AuthReqAmt is zero");
  if (exceeds(asked, agreed, config_.amountTolerancePercent))
    throw Decline(AuthCode::amountError, "AuthReqAmt exceeds PurchAmt beyond the tolerance");
}

void PaymentGateway::checkPIUnused(const AuthContext& r) const {
  if (store_.piUsed(r.piHead().transIDs.xid, r.piDigest))
    throw Decline(AuthCode::piPreviouslyUsed, "this PI (or purchase) was already authorized");
}

void PaymentGateway::checkIssuerAttempts(const AuthContext& r) {
  // Records older than any PI still accepted are of no use (checkPIAge refuses those PIs).
  store_.forgetIssuerAttemptsBefore(clock_.now() - config_.maxPIAge - config_.clockSkew);
  if (store_.issuerAttempts(r.piHead().transIDs.xid) >= config_.maxIssuerAttempts)
    throw Decline(AuthCode::piPreviouslyUsed, "the issuer already declined this purchase maxIssuerAttempts times");
}

PaymentGateway::AuthOutcome PaymentGateway::askIssuer(const AuthContext& r) {
  IssuerRequest request;
  request.pan = r.pi.panData ? r.pi.panData->pan : r.pi.panToken->pan;
  request.cardExpiry = r.pi.panData ? r.pi.panData->cardExpiry : r.pi.panToken->cardExpiry;
  request.amount = r.item().authReqPayload.authReqAmt;
  request.merchantID = r.merchant.merID;
  IssuerDecision decision = issuer_.authorize(request);
  AuthOutcome outcome{decision.authCode, std::move(decision.approvalCode), decision.respReason, {}, std::nullopt, true};
  if (outcome.approved()) outcome.tokenOpaque = r.capToken ? r.tokenOpaque : random_.bytes(16);
  return outcome;
}

void PaymentGateway::captureNow(const AuthContext& r, AuthOutcome& outcome) {
  const CurrencyAmount& amount = r.item().authReqPayload.authReqAmt;
  const bool captured = issuer_.capture(outcome.approvalCode, amount);
  outcome.capResPayload = CapResPayload{captured ? CapCode::success : CapCode::unspecifiedFailure, amount,
                                        std::nullopt, std::nullopt, {}};
}

Bytes PaymentGateway::buildAuthRes(const AuthContext& r, const AuthOutcome& outcome) {
  const CurrencyAmount& asked = r.item().authReqPayload.authReqAmt;
  AuthResData data;
  data.authTags = r.tags();  // copied (Book 2: AuthTags come back as sent)
  AuthHeader& header = data.authResPayload.authHeader;
  header.authCode = outcome.authCode;
  header.authAmt = outcome.approved() ? asked : CurrencyAmount{asked.currency, 0, asked.amtExp10};
  if (outcome.approved())
    header.responseData.authValCodes = AuthValCodes{outcome.approvalCode, std::nullopt, std::nullopt, std::nullopt};
  header.responseData.respReason = outcome.respReason;
  data.authResPayload.capResPayload = outcome.capResPayload;

  AuthResBaggage baggage;
  if (outcome.approved())  // Enc(P, P, CapTokenData): only this gateway can read it back
    baggage.capToken = r.capToken && outcome.tokenOpaque == r.tokenOpaque
                           ? *r.capToken  // signed by prepare() for this very amount and TokenOpaque
                           : buildCapToken(config_.profile, random_, clock_, signer_, config_.keyExchange.cert.get(),
                                           CapTokenData{r.tags().authRRTags.rrpid, header.authAmt, outcome.tokenOpaque});
  // Hardened profiles: buildAuthRes binds the merchant identity (Cert-MS thumb + merchantID) in.
  const AuthRes authRes = protocol::buildAuthRes(config_.profile, random_, clock_, signer_, r.merchant.keyExchange.get(),
                                                 r.merchant.signature.get(), std::move(data), baggage);
  return reply(authRes, &r.tags().transIDs, r.tags().authRRTags.rrpid);
}

// The outcome's records, before its AuthRes is built: a later request in the same transaction sees them.
void PaymentGateway::recordOutcome(const AuthContext& r, const AuthOutcome& outcome) {
  if (!outcome.approved()) {
    if (outcome.issuerAsked) store_.recordIssuerAttempt(r.piHead().transIDs.xid, r.piHead().transIDs.pReqDate);
    return;
  }
  store_.markPIUsed(r.piHead().transIDs.xid, r.piDigest);
  Authorization a;
  a.tokenOpaque = outcome.tokenOpaque;
  a.xid = r.tags().transIDs.xid;
  a.authRRPID = r.tags().authRRTags.rrpid;
  a.merchantID = r.merchant.merID;
  a.approvalCode = outcome.approvalCode;
  a.authAmt = r.item().authReqPayload.authReqAmt;
  if (outcome.capResPayload && outcome.capResPayload->capCode == CapCode::success) a.captured = a.authAmt;
  store_.saveAuthorization(a);
}

void PaymentGateway::rememberAuthRes(const AuthContext& r, const Bytes& authRes) {
  store_.rememberResponse(replayKeyOf(r), SentResponse{r.requestDigest, authRes, clock_.now()});
}

}  // namespace setpay::gateway
