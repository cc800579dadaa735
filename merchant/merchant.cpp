// The merchant's entry points: offer (the wake-up), handle (dispatch; the one place a failure becomes a
// SET Error), the synchronous exchange with the gateway, the removal of abandoned purchases, and the
// replies every step shares.
#include "merchant/merchant.hpp"

#include <algorithm>

#include "protocol/crypto/digest.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/purchase/thumbs.hpp"

namespace setpay::merchant {

namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ByteView;
using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

constexpr std::size_t kLocalIdSize = 16;

protocol::SoftwareSigner signerOf(const pki::Credential& c) {
  if (!c.cert || !c.key) throw ProtocolError(ErrorCode::missingCertificate, "merchant signature credential missing");
  return protocol::SoftwareSigner(pki::share(c.cert.get()), pki::share(c.key.get()));
}

}  // namespace

Merchant::Merchant(MerchantConfig config, MerchantStore& store, const protocol::Clock& clock,
                   protocol::RandomSource& random)
    : config_(std::move(config)), store_(store), clock_(clock), random_(random), signer_(signerOf(config_.signature)) {
  const auto data = pki::merchantDataOf(config_.signature.cert.get());
  if (!data) throw ProtocolError(ErrorCode::invalidCertificate, "merchant signature certificate lacks merchantData");
  merchantID_ = data->merID;
  if (!config_.gatewayKeyExchange) throw ProtocolError(ErrorCode::missingCertificate, "no Cert-PE configured");
  pki::attachTrustCache(config_.trust, config_.profile);  // one validator for the merchant (issue 13)
}

protocol::TimePoint Merchant::now() const { return std::chrono::floor<std::chrono::seconds>(clock_.now()); }

// ---- a → b: the wake-up
protocol::WakeUp Merchant::offer(const Order& order) {
  const std::lock_guard lock(mutex_);
  const OfferedOrder offered{random_.bytes(kLocalIdSize), order, now(), std::nullopt};
  store_.saveOrder(offered);
  protocol::WakeUp w;
  w.brands = config_.brands;
  w.purchAmt = order.amount;
  w.lidM = offered.lidM;
  w.language = order.language.value_or(config_.language);
  w.paymentUrl = config_.paymentUrl;
  w.orderDescription = order.orderDescription;
  return w;
}

// ---- dispatch; the one place a failure becomes a SET Error
MerchantStep Merchant::handle(ByteView in, std::string* refusal) {
  const std::lock_guard lock(mutex_);
  std::optional<protocol::MessageHeader> header;
  bool peerHasOurChain = false;  // a PReq or InqReq follows our PInitRes, which carried the chain
  protocol::ErrorReport report;
  try {
    const protocol::MessageWrapper w = protocol::decode<protocol::MessageWrapper>(in);
    header = w.messageHeader;
    peerHasOurChain = std::holds_alternative<protocol::PReq>(w.message) || std::holds_alternative<protocol::InqReq>(w.message);
    if (std::holds_alternative<protocol::Error>(w.message)) return {};  // never answer an Error
    if (const auto* m = std::get_if<protocol::PInitReq>(&w.message)) return {processPInitReq(w, *m), std::nullopt};
    if (const auto* m = std::get_if<protocol::PReq>(&w.message)) return processPReq(w, *m);
    if (const auto* m = std::get_if<protocol::InqReq>(&w.message)) return {processInqReq(w, *m), std::nullopt};
    throw ProtocolError(ErrorCode::messageNotSupported, std::string(protocol::messageName(w.message)) + " is not for a merchant");
  } catch (const std::exception& e) {
    report = protocol::reportOf(e);
    if (refusal) *refusal = protocol::refusalText(e);
  }
  return {errorFor(report, header, in, !peerHasOurChain), std::nullopt};
}

Bytes Merchant::handle(ByteView in, const Transport& toGateway) {
  MerchantStep step = handle(in);
  if (!step.toGateway) return std::move(step.toCardholder);
  Bytes answer;
  try {
    answer = toGateway(step.toGateway->authReq);  // no lock held: the gateway may take its time
  } catch (const std::exception&) {
    answer.clear();  // no answer: the purchase stays authorizing
  }
  try {
    return processAuthRes(step.toGateway->xid, answer);
  } catch (const std::exception& e) {  // the transaction vanished meanwhile: still answer the cardholder
    return errorFor(protocol::reportOf(e), std::nullopt, in, false);
  }
}

std::size_t Merchant::removeAbandoned() {
  const std::lock_guard lock(mutex_);
  const protocol::TimePoint t = now();
  return store_.removeAbandoned(t - config_.offerLifetime, t - config_.transactionLifetime);
}

// ---- replies

Bytes Merchant::errorFor(const protocol::ErrorReport& report, const std::optional<protocol::MessageHeader>& header,
                         ByteView in, bool carryChain) {
  // Our CA chain rides along when the wallet may not have seen a PInitRes of ours (it validates the
  // signer then); after one, the wallet knows our certificate.
  protocol::SignOptions chain;
  if (carryChain) {
    for (const auto& c : config_.trust.caCertificates) chain.extra.certificates.push_back(c.get());
    for (const auto& c : config_.trust.crls) chain.extra.crls.push_back(c.get());
  }
  return protocol::errorReply(config_.profile, signer_, clock_, random_, config_.swIdent, report, header, in, chain);
}

Bytes Merchant::wrap(protocol::Message message, const protocol::TransIDs& ids, const Bytes& rrpid) const {
  return protocol::wrapMessage(std::move(message), clock_, config_.swIdent, &ids, rrpid);
}

Bytes Merchant::pRes(const Transaction& tx, const Bytes& rrpid, const Bytes& challC, const protocol::PResPayload& p,
                     bool inquiry) {
  const protocol::PResData d{tx.transIDs, rrpid, challC, std::nullopt, {p}};
  if (inquiry) return wrap(protocol::buildInqRes(config_.profile, signer_, clock_, d), tx.transIDs, rrpid);
  return wrap(protocol::buildPRes(config_.profile, signer_, clock_, d), tx.transIDs, rrpid);
}

// Our certificate, Cert-PE, our CA certificates and CRLs, minus what the peer's Thumbs say it holds.
protocol::SignOptions Merchant::carriedChain(const std::optional<protocol::Thumbs>& peerHas) const {
  const X509* certPE = config_.gatewayKeyExchange.get();
  return protocol::carriedTo(config_.profile, peerHas, config_.signature.cert.get(), {&certPE, 1}, config_.trust);
}

}  // namespace setpay::merchant
