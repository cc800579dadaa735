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
  std::optional<MessageHeader> header;
  ErrorReport report;
  const ByteView wrapperDer = p.in;
  try {
    if (p.decodeFailure) std::rethrow_exception(p.decodeFailure);
    const MessageWrapper& wrapper = *p.wrapper;
    header = wrapper.messageHeader;
    if (p.auth) return processAuthReq(*p.auth);
    if (const auto* capReq = std::get_if<CapReq>(&wrapper.message)) return processCapReq(wrapper, *capReq);
    if (std::holds_alternative<Error>(wrapper.message)) return {};  // never answer an Error with an Error
    throw ProtocolError(ErrorCode::messageNotSupported,
                        "a payment gateway does not take " + std::string(messageName(wrapper.message)));
  } catch (const std::exception& e) {
    report = reportOf(e);
    if (refusal) *refusal = refusalText(e);
  }
  return errorReply(config_.profile, signer_, clock_, random_, config_.swIdent, report, header, wrapperDer);
}

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
