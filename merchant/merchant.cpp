#include "merchant/merchant.hpp"

#include <openssl/objects.h>

#include <algorithm>

#include "merchant/payment_response.hpp"
#include "protocol/crypto/composite.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/pki/thumbs.hpp"

namespace setpay::merchant {

namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ByteView;
using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

constexpr std::size_t kLocalIdSize = 16;

protocol::TimePoint seconds(protocol::TimePoint t) { return std::chrono::floor<std::chrono::seconds>(t); }

ErrorCode knownCode(int code) {
  const int last = static_cast<int>(ErrorCode::challengeMismatch);
  return code >= 1 && code <= last ? static_cast<ErrorCode>(code) : ErrorCode::unspecifiedFailure;
}

bool sameLIDs(const protocol::TransIDs& a, const protocol::TransIDs& b) { return a.lidC == b.lidC && a.lidM == b.lidM; }

protocol::SoftwareSigner signerOf(const pki::Credential& c) {
  if (!c.cert || !c.key) throw ProtocolError(ErrorCode::missingCertificate, "merchant signature credential missing");
  return protocol::SoftwareSigner(pki::share(c.cert.get()), pki::share(c.key.get()));
}

}  // namespace

Merchant::Merchant(MerchantConfig config, MerchantStore& store, Transport toGateway, const protocol::Clock& clock,
                   protocol::RandomSource& random)
    : config_(std::move(config)),
      store_(store),
      toGateway_(std::move(toGateway)),
      clock_(clock),
      random_(random),
      signer_(signerOf(config_.signature)) {
  const auto data = pki::merchantDataOf(config_.signature.cert.get());
  if (!data) throw ProtocolError(ErrorCode::invalidCertificate, "merchant signature certificate lacks merchantData");
  merchantID_ = data->merID;
  if (!config_.gatewayKeyExchange) throw ProtocolError(ErrorCode::missingCertificate, "no Cert-PE configured");
}

// ---- a → b: the wake-up
protocol::WakeUp Merchant::offer(const Order& order) {
  const std::lock_guard lock(mutex_);
  OfferedOrder offered{random_.bytes(kLocalIdSize), order, std::nullopt};
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
Bytes Merchant::handle(ByteView in) {
  const std::lock_guard lock(mutex_);
  std::optional<protocol::MessageHeader> header;
  try {
    const protocol::MessageWrapper w = protocol::decode<protocol::MessageWrapper>(in);
    header = w.messageHeader;
    if (std::holds_alternative<protocol::Error>(w.message)) return {};  // never answer an Error
    if (const auto* m = std::get_if<protocol::PInitReq>(&w.message)) return onPInitReq(w, *m);
    if (const auto* m = std::get_if<protocol::PReq>(&w.message)) return onPReq(w, *m);
    if (const auto* m = std::get_if<protocol::InqReq>(&w.message)) return onInqReq(w, *m);
    throw ProtocolError(ErrorCode::messageNotSupported, std::string(protocol::messageName(w.message)) + " is not for a merchant");
  } catch (const ProtocolError& e) {
    return errorFor(e.code(), header, in);
  } catch (const std::exception&) {
    return errorFor(ErrorCode::unspecifiedFailure, header, in);
  }
}

Bytes Merchant::errorFor(ErrorCode code, const std::optional<protocol::MessageHeader>& header, ByteView in) {
  // An Error we could not decode is still an Error: never answer it with one.
  if (protocol::messageChoiceTag(in) == protocol::kErrorChoiceTag) return {};
  try {
    protocol::ErrorTBS tbs;
    tbs.errorCode = static_cast<int>(code);
    tbs.errorNonce = random_.bytes(protocol::limits::nonce);
    if (header)
      tbs.errorMsg = *header;
    else
      tbs.errorMsg = Bytes(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(std::min(in.size(), protocol::limits::badWrapper)));
    protocol::MessageHeader h;
    h.date = seconds(clock_.now());
    if (header) {
      h.messageIDs = header->messageIDs;
      h.rrpid = header->rrpid;
    }
    h.swIdent = config_.swIdent;
    return protocol::encode(protocol::MessageWrapper{
        std::move(h), protocol::buildSignedError(config_.profile, signer_, clock_, tbs), {}});
  } catch (const std::exception&) {
    return {};  // cannot even say why: say nothing rather than something unsigned
  }
}

Bytes Merchant::wrap(protocol::Message message, const protocol::TransIDs& ids, const Bytes& rrpid) const {
  protocol::MessageHeader h;
  h.date = seconds(clock_.now());
  h.messageIDs = protocol::MessageIDs{ids.lidC, ids.lidM, ids.xid};
  h.rrpid = rrpid;
  h.swIdent = config_.swIdent;
  return protocol::encode(protocol::MessageWrapper{std::move(h), std::move(message), {}});
}

// Our certificate, Cert-PE, our CA certificates and CRLs, minus what the peer's Thumbs say it holds.
protocol::SignOptions Merchant::carriedChain(const std::optional<protocol::Thumbs>& peerHas) const {
  const X509* certPE = config_.gatewayKeyExchange.get();
  return pki::carriedTo(config_.profile, peerHas, config_.signature.cert.get(), {&certPE, 1}, config_.trust);
}

// ---- PInitReq → PInitRes (notes §2.2 "what the merchant does")
Bytes Merchant::onPInitReq(const protocol::MessageWrapper&, const protocol::PInitReq& r) {
  const std::string brand = r.brandID.substr(0, r.brandID.find(':'));
  if (std::find(config_.brands.begin(), config_.brands.end(), r.brandID) == config_.brands.end() &&
      std::find(config_.brands.begin(), config_.brands.end(), brand) == config_.brands.end())
    throw ProtocolError(ErrorCode::unspecifiedFailure, "BrandID " + r.brandID + " is not accepted here");
  if (!r.localIDM) throw ProtocolError(ErrorCode::unknownLID, "PInitReq without LID-M: no order to pay");
  auto order = store_.findOrder(*r.localIDM);
  if (!order) throw ProtocolError(ErrorCode::unknownLID, "no order with this LID-M");
  if (order->xid) {  // a lost PInitRes may be asked again, a paid order may not
    const auto previous = store_.findTransaction(*order->xid);
    if (previous && previous->state != TransactionState::awaitingPReq)
      throw ProtocolError(ErrorCode::unknownLID, "this order has already been paid for");
  }

  Transaction t;
  t.transIDs = protocol::TransIDs{r.localIDC, r.localIDM, random_.bytes(protocol::limits::nonce),
                                  seconds(clock_.now()), std::nullopt, r.language};
  t.order = order->order;
  t.brandID = r.brandID;
  t.challM = random_.bytes(protocol::limits::nonce);
  store_.saveTransaction(t);
  order->xid = t.transIDs.xid;
  store_.saveOrder(*order);

  protocol::PInitResData d;
  d.transIDs = t.transIDs;
  d.rrpid = r.rrpid;
  d.challC = r.challC;
  d.challM = t.challM;
  d.peThumb = pki::certificateThumbprint(config_.profile, config_.gatewayKeyExchange.get());
  d.thumbs = r.thumbs;
  d.brandCRLIdentifier = pki::brandCRLIdentifierFor(config_.profile, r.thumbs, config_.trust);
  return wrap(protocol::buildPInitRes(config_.profile, signer_, clock_, d, carriedChain(r.thumbs)), t.transIDs, r.rrpid);
}

// ---- PReq → (AuthReq / AuthRes) → PRes (notes §2.4 "what the merchant does", §3.3, §3.6)
Bytes Merchant::onPReq(const protocol::MessageWrapper& w, const protocol::PReq& preq) {
  const auto* dual = std::get_if<protocol::PReqDualSigned>(&preq.value);
  const auto* unsignedReq = std::get_if<protocol::PReqUnsigned>(&preq.value);
  const protocol::OIData& oi = dual ? dual->oiData : unsignedReq->oiData;
  protocol::checkWrapperMatches(w.messageHeader, &oi.rrpid, &oi.transIDs);

  auto tx = store_.findTransaction(oi.transIDs.xid);
  if (!tx) throw ProtocolError(ErrorCode::unknownXID, "no transaction with this XID");
  if (!sameLIDs(oi.transIDs, tx->transIDs)) throw ProtocolError(ErrorCode::unknownLID, "LID-C / LID-M differ from PInitRes");
  if (oi.transIDs != tx->transIDs) throw ProtocolError(ErrorCode::unknownXID, "TransIDs differ from PInitRes");
  // Chall-M makes the cardholder's signature fresh; it is consumed by the first PReq that passes.
  if (tx->state != TransactionState::awaitingPReq)
    throw ProtocolError(ErrorCode::challengeMismatch, "Chall-M already consumed: PReq replayed");
  if (!oi.challM || !protocol::constantTimeEqual(*oi.challM, tx->challM))
    throw ProtocolError(ErrorCode::challengeMismatch, "OIData does not carry our Chall-M");
  if (!oi.brandID.empty() && oi.brandID != tx->brandID)
    throw ProtocolError(ErrorCode::unspecifiedFailure, "OIData BrandID differs from PInitReq");

  if (dual) {
    const auto signature = protocol::verifyDualSignature(config_.profile, *dual);
    (void)pki::validateCarried(config_.profile, config_.trust, signature.signer.get(), signature,
                               pki::Role::cardholder, clock_);
    tx->cardholderThumb = pki::certificateThumbprint(config_.profile, signature.signer.get());
  } else if (pki::cardCertRequiredOf(config_.gatewayKeyExchange.get()).value_or(true)) {
    // Cert-PE says the gateway takes only signed purchases: answer PRes "signatureRequired".
    tx->state = TransactionState::completed;
    tx->result = rejection(protocol::AuthCode::signatureRequired, seconds(clock_.now()));
    store_.saveTransaction(*tx);
    return pRes(*tx, oi.rrpid, oi.challC, *tx->result, false);
  }
  // HOD recomputed from our own order and amount: the cardholder agreed to exactly this purchase.
  const Bytes hod = protocol::hod(config_.profile, protocol::HODInput{protocol::toBytes(tx->order.orderDescription),
                                                                      tx->order.amount, oi.odSalt, std::nullopt, {}});
  if (!protocol::constantTimeEqual(hod, oi.hod))
    throw ProtocolError(ErrorCode::unspecifiedFailure, "HOD does not match the order and amount offered");

  tx->state = TransactionState::completed;  // before asking the gateway: a replay cannot authorize twice
  store_.saveTransaction(*tx);
  try {
    tx->authorization = authorize(*tx, preq, oi, hod);
  } catch (const ProtocolError& e) {
    tx->error = e.code();
    store_.saveTransaction(*tx);
    throw;
  }
  tx->result = paymentResponse(*tx->authorization, tx->authorization->capture, tx->order.amount, seconds(clock_.now()));
  store_.saveTransaction(*tx);
  return pRes(*tx, oi.rrpid, oi.challC, *tx->result, false);
}

// AuthReq = EncB(M, P, AuthReqData, PI) to the gateway; its AuthRes opened and checked.
Authorization Merchant::authorize(const Transaction& tx, const protocol::PReq& preq, const protocol::OIData& oi,
                                  const Bytes& hod) {
  const auto& profile = config_.profile;
  protocol::AuthReqData d;
  protocol::AuthReqItem& item = d.authReqItem;
  item.authTags.authRRTags = protocol::RRTags{random_.bytes(protocol::limits::nonce),
                                              protocol::MerTermIDs{merchantID_, {}, {}, {}, {}}, seconds(clock_.now())};
  item.authTags.transIDs = oi.transIDs;
  item.checkDigests = protocol::CheckDigests{protocol::hOIData(profile, oi), hod};
  item.authReqPayload.authReqAmt = config_.authAmountOverride.value_or(tx.order.amount);
  d.captureNow = config_.captureNow;
  const Bytes authRRPID = item.authTags.authRRTags.rrpid;

  // Cert-MK rides along so the gateway can encrypt AuthRes without a prior registration; the CA
  // certificates do not: the gateway holds its brand's (SPEC-CHOICES "Thumbs and BrandCRLIdentifier").
  protocol::SignOptions carried;
  carried.extra.certificates.push_back(config_.keyExchange.cert.get());
  const protocol::AuthReq req = protocol::buildAuthReq(profile, random_, clock_, signer_, config_.gatewayKeyExchange.get(),
                                                       d, protocol::piOf(preq), carried);
  const Bytes reply = toGateway_(wrap(req, oi.transIDs, authRRPID));
  if (reply.empty()) throw ProtocolError(ErrorCode::unspecifiedFailure, "no answer from the payment gateway");

  const protocol::MessageWrapper w = protocol::decode<protocol::MessageWrapper>(reply);
  if (const auto* error = std::get_if<protocol::Error>(&w.message)) {
    const ErrorCode code = knownCode(protocol::open(profile, *error).data.errorCode);
    throw ProtocolError(code, "the payment gateway refused the AuthReq");
  }
  const auto* res = std::get_if<protocol::AuthRes>(&w.message);
  if (!res) throw ProtocolError(ErrorCode::messageNotSupported, "gateway answered neither AuthRes nor Error");
  const auto opened = protocol::open(profile, config_.keyExchange.key.get(), config_.signature.cert.get(), *res);
  (void)pki::validateCarried(profile, config_.trust, opened.signature.signer.get(), opened.signature,
                             pki::Role::gatewaySignature, clock_);
  if (config_.hardening && !protocol::findMerchantIdentity(opened.data.authResPayload.aRsExtensions))
    throw ProtocolError(ErrorCode::thumbsMismatch, "AuthRes does not name the merchant it answers");
  if (!protocol::constantTimeEqual(opened.data.authTags.authRRTags.rrpid, authRRPID))
    throw ProtocolError(ErrorCode::unknownRRPID, "AuthRes answers another AuthReq");
  if (opened.data.authTags.transIDs.xid != oi.transIDs.xid)
    throw ProtocolError(ErrorCode::unknownXID, "AuthRes is for another XID");

  const protocol::AuthHeader& h = opened.data.authResPayload.authHeader;
  Authorization a;
  a.authCode = h.authCode;
  if (h.responseData.authValCodes) a.approvalCode = h.responseData.authValCodes->approvalCode;
  a.respReason = h.responseData.respReason;
  a.authAmt = h.authAmt;
  a.capToken = opened.baggage.capToken;
  a.capture = opened.data.authResPayload.capResPayload;
  return a;
}

Bytes Merchant::pRes(const Transaction& tx, const Bytes& rrpid, const Bytes& challC, const protocol::PResPayload& p,
                     bool inquiry) {
  const protocol::PResData d{tx.transIDs, rrpid, challC, std::nullopt, {p}};
  if (inquiry) return wrap(protocol::buildInqRes(config_.profile, signer_, clock_, d), tx.transIDs, rrpid);
  return wrap(protocol::buildPRes(config_.profile, signer_, clock_, d), tx.transIDs, rrpid);
}

// ---- InqReq → InqRes (same format as PRes); only the PReq's cardholder may ask.
Bytes Merchant::onInqReq(const protocol::MessageWrapper& w, const protocol::InqReq& r) {
  const auto opened = protocol::open(config_.profile, r);
  const protocol::InqReqData& d = opened.data;
  protocol::checkWrapperMatches(w.messageHeader, &d.rrpid, &d.transIDs);
  const auto tx = store_.findTransaction(d.transIDs.xid);
  if (!tx) throw ProtocolError(ErrorCode::unknownXID, "no transaction with this XID");
  if (!sameLIDs(d.transIDs, tx->transIDs)) throw ProtocolError(ErrorCode::unknownLID, "LID-C / LID-M differ");
  if (tx->cardholderThumb) {
    if (!opened.signature) throw ProtocolError(ErrorCode::signatureRequired, "the PReq was signed: so must InqReq be");
    if (!protocol::constantTimeEqual(*tx->cardholderThumb,
                                     pki::certificateThumbprint(config_.profile, opened.signature->signer.get())))
      throw ProtocolError(ErrorCode::invalidCertificate, "InqReq signed by another cardholder than the PReq");
  }
  protocol::PResPayload p;
  if (tx->result) {
    p = *tx->result;
  } else {
    p.completionCode = tx->state == TransactionState::awaitingPReq ? protocol::CompletionCode::orderNotReceived
                                                                   : protocol::CompletionCode::orderRejected;
  }
  return pRes(*tx, d.rrpid, d.challC2, p, true);
}

}  // namespace setpay::merchant
