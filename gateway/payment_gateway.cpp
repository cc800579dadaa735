#include "gateway/payment_gateway.hpp"

#include "gateway/refusal.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/reply.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/pki/cardholder.hpp"

namespace setpay::gateway {

using namespace protocol;

namespace {

Bytes ownThumb(const AlgorithmProfile& profile, const X509* keyExchange) {
  if (!keyExchange) throw ProtocolError(ErrorCode::missingCertificate, "gateway key-exchange certificate");
  return thumbprint(profile, keyExchange);
}

}  // namespace

PaymentGateway::PaymentGateway(GatewayConfig config, GatewayStore& store, Issuer& issuer, const Clock& clock,
                               RandomSource& random)
    : config_(std::move(config)),
      store_(store),
      issuer_(issuer),
      clock_(clock),
      random_(random),
      validator_(config_.root.get(), config_.profile),
      signer_(pki::share(config_.signature.cert.get()), pki::share(config_.signature.key.get())),
      keyExchangeThumb_(ownThumb(config_.profile, config_.keyExchange.cert.get())) {
  if (!config_.keyExchange.key) throw ProtocolError(ErrorCode::unspecifiedFailure, "gateway key-exchange key missing");
  // sealed.hpp's open(PI) and buildAuthRes apply the hardening extensions per profile, not per flag.
  if (config_.hardening != config_.profile.hardeningByDefault())
    throw ProtocolError(ErrorCode::unspecifiedFailure, "GatewayConfig.hardening must follow the profile");
}

Bytes PaymentGateway::handle(ByteView wrapperDer) { return complete(prepare(wrapperDer)); }

Bytes PaymentGateway::complete(Prepared&& p, std::string* refusal) {
  const std::lock_guard lock(mutex_);
  Decided d = decide(p);  // never later(): each request is recorded before the next is decided
  build(d);
  try {
    return record(std::move(d), refusal);
  } catch (const std::exception& e) {  // the store failed: the answer is an Error
    Decided failed(p);
    refuse(failed, e);
    build(failed);
    return record(std::move(failed), refusal);
  }
}

PaymentGateway::Decided PaymentGateway::decide(Prepared& p) {
  Decided d(p);
  try {
    if (p.decodeFailure) std::rethrow_exception(p.decodeFailure);
    const MessageWrapper& wrapper = *p.wrapper;
    if (p.auth) {
      decideAuthReq(*p.auth, d);
    } else if (const auto* capReq = std::get_if<CapReq>(&wrapper.message)) {
      d.reply_ = processCapReq(wrapper, *capReq);
    } else if (!std::holds_alternative<Error>(wrapper.message)) {  // never answer an Error with an Error
      throw ProtocolError(ErrorCode::messageNotSupported,
                          "a payment gateway does not take " + std::string(messageName(wrapper.message)));
    }
  } catch (const std::exception& e) {
    refuse(d, e);
  }
  return d;
}

void PaymentGateway::refuse(Decided& d, const std::exception& e) const {
  d.kind_ = Decided::Kind::error;
  std::optional<MessageHeader> header;
  if (d.prepared_->wrapper) header = d.prepared_->wrapper->messageHeader;
  d.refused_ = std::make_unique<Refused>(Refused{reportOf(e), std::move(header), refusalText(e)});
}

void PaymentGateway::build(Decided& d) {
  if (d.kind_ == Decided::Kind::authRes) {
    try {
      d.reply_ = buildAuthRes(*d.prepared_->auth, *d.outcome_);
      return;
    } catch (const std::exception& e) {
      refuse(d, e);
      d.buildFailed_ = true;
    }
  }
  if (d.kind_ == Decided::Kind::error)
    d.reply_ = errorReply(config_.profile, signer_, clock_, random_, config_.swIdent, d.refused_->report, d.refused_->header,
                          d.prepared_->in);
}

Bytes PaymentGateway::record(Decided&& d, std::string* refusal) {
  if (d.kind_ == Decided::Kind::authRes || d.buildFailed_) decidedNotRecorded_.erase(replayKeyOf(*d.prepared_->auth));
  if (d.kind_ == Decided::Kind::authRes) rememberAuthRes(*d.prepared_->auth, d.reply_);
  if (d.kind_ == Decided::Kind::error && refusal) *refusal = d.refused_->text;
  return std::move(d.reply_);
}

void PaymentGateway::abandon() { decidedNotRecorded_.clear(); }

void PaymentGateway::checkFreshness(TimePoint requestDate) const {
  const TimePoint now = clock_.now();
  if (requestDate < now - config_.replayWindow)
    throw Refusal(ErrorCode::messageTooOld, "request dated before the replay window");
  if (requestDate > now + config_.clockSkew) throw Refusal(ErrorCode::messageTooNew, "request dated in the future");
}

std::optional<Bytes> PaymentGateway::replayed(const ReplayKey& key, ByteView requestDigest) {
  // A request is fresh for replayWindow after its date, which may lead our clock by clockSkew.
  store_.forgetResponsesBefore(clock_.now() - config_.replayWindow - config_.clockSkew);
  const auto sent = store_.findResponse(key);
  if (!sent) return std::nullopt;
  if (!constantTimeEqual(sent->requestDigest, requestDigest))
    throw Refusal(ErrorCode::unknownRRPID, key.message + ": RRPID already answered for a different request");
  return sent->response;
}

Bytes PaymentGateway::reply(Message message, const TransIDs* ids, const Bytes& rrpid) const {
  return wrapMessage(std::move(message), clock_, config_.swIdent, ids, rrpid);
}

void PaymentGateway::checkCardNotExpired(const std::string& cardExpiry) const {
  const auto expiry = pki::parseCardExpiry(cardExpiry);
  if (!expiry) throw Refusal(ErrorCode::decodingFailure, "CardExpiry is not YYYYMM");
  if (clock_.now() > pki::cardExpiryEnd(*expiry)) throw Decline(AuthCode::expiredCard, "card expired");
}

}  // namespace setpay::gateway
