// MobileCardholder up to d, and PRes: the steps of Cardholder (cardholder.cpp) that need no card.
#include "wallet-server/mobile_cardholder.hpp"

#include <algorithm>

#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/mobile/channel.hpp"

namespace setpay::wallet {

using protocol::Bytes;
using protocol::ByteView;
using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

constexpr std::size_t kLocalIdSize = 16;
constexpr std::size_t kPurchaseNonceSize = 16;

void requireEqual(ByteView expected, ByteView got, ErrorCode code, const char* what) {
  if (!protocol::constantTimeEqual(expected, got)) throw ProtocolError(code, what);
}

ErrorCode knownCode(int code) {
  const int last = static_cast<int>(ErrorCode::challengeMismatch);
  return code >= 1 && code <= last ? static_cast<ErrorCode>(code) : ErrorCode::unspecifiedFailure;
}

}  // namespace

MobileCardholder::MobileCardholder(MobileWalletConfig config, protocol::ossl::PKey terminalKey,
                                   const protocol::Clock& clock, protocol::RandomSource& random)
    : config_(std::move(config)),
      terminalKey_(std::move(terminalKey)),
      terminalID_(mobile::terminalIdOf(terminalKey_.get())),
      clock_(clock),
      random_(random) {
  protocol::pki::attachTrustCache(config_.trust, config_.profile);  // one validator per wallet (issue 13)
}

protocol::MessageWrapper MobileCardholder::receive(ByteView der) const {
  protocol::MessageWrapper w = protocol::decode<protocol::MessageWrapper>(der);
  if (const auto* error = std::get_if<protocol::Error>(&w.message)) {
    const ErrorCode code = knownCode(protocol::open(config_.profile, *error).data.errorCode);
    throw MerchantError(code, "SET Error " + std::string(protocol::name(code)));
  }
  return w;
}

Bytes MobileCardholder::wrap(protocol::Message message, const Bytes& rrpid) const {
  protocol::MessageHeader header;
  header.date = std::chrono::floor<std::chrono::seconds>(clock_.now());
  protocol::MessageIDs ids;
  ids.lidC = lidC_;
  ids.lidM = wakeUp_.lidM;
  if (offer_) ids.xid = offer_->verified.data.transIDs.xid;
  header.messageIDs = ids;
  header.rrpid = rrpid;
  header.swIdent = config_.swIdent;
  return protocol::encode(protocol::MessageWrapper{std::move(header), std::move(message), {}});
}

const MobileOffer& MobileCardholder::requireOffer() const {
  if (!offer_) throw ProtocolError(ErrorCode::unknownXID, "no PInitRes accepted for this purchase");
  return *offer_;
}

// ---- PInitReq (Book 2 cardholder steps, as in cardholder.cpp): fresh RRPID, Chall-C, LID-C; the BIN from the account.
Bytes MobileCardholder::pInitReq(const protocol::WakeUp& wakeUp, const std::string& bin) {
  if (wakeUp.brands.empty()) throw ProtocolError(ErrorCode::decodingFailure, "wake-up offers no brand");
  std::string brandID = wakeUp.brands.front();
  if (config_.brand) {
    if (std::find(wakeUp.brands.begin(), wakeUp.brands.end(), *config_.brand) == wakeUp.brands.end())
      throw ProtocolError(ErrorCode::unspecifiedFailure, "the merchant does not accept brand " + *config_.brand);
    brandID = *config_.brand;
  }
  offer_.reset();
  sentRequest_.reset();
  wakeUp_ = wakeUp;
  brandID_ = brandID;
  bin_ = bin;
  lidC_ = random_.bytes(kLocalIdSize);
  pInitRRPID_ = random_.bytes(protocol::limits::nonce);
  challC_ = random_.bytes(protocol::limits::nonce);
  purchaseNonce_ = random_.bytes(kPurchaseNonceSize);

  protocol::PInitReq req;
  req.rrpid = pInitRRPID_;
  req.language = wakeUp.language.value_or(config_.language);
  req.localIDC = lidC_;
  req.localIDM = wakeUp.lidM;
  req.challC = challC_;
  req.brandID = brandID;
  req.bin = bin;
  return wrap(std::move(req), pInitRRPID_);
}

// ---- PInitRes (SPEC-CHOICES "## cardholder and merchant"): verifyOffer (steps 1, 7, 8), then what only we can check (2, 3).
const MobileOffer& MobileCardholder::acceptPInitRes(ByteView der) {
  const protocol::MessageWrapper w = receive(der);
  const auto* res = std::get_if<protocol::PInitRes>(&w.message);
  if (!res) throw ProtocolError(ErrorCode::messageNotSupported, "expected PInitRes");
  protocol::VerifiedOffer verified = protocol::verifyOffer(config_.profile, config_.trust, clock_, *res, brandID_);
  const protocol::PInitResData& d = verified.data;
  protocol::checkWrapperMatches(w.messageHeader, &d.rrpid, &d.transIDs);
  requireEqual(pInitRRPID_, d.rrpid, ErrorCode::unknownRRPID, "PInitRes answers another RRPID");
  requireEqual(challC_, d.challC, ErrorCode::challengeMismatch, "PInitRes does not echo Chall-C");
  if (d.transIDs.lidC != lidC_ || d.transIDs.lidM != wakeUp_.lidM)
    throw ProtocolError(ErrorCode::unknownLID, "PInitRes TransIDs carry another LID-C / LID-M");
  std::string name = mobile::shownText(protocol::merchantNames(verified.merchantData, d.transIDs.language).name);
  if (name.empty()) name = verified.merchantData.merID;
  offer_ = MobileOffer{wakeUp_, brandID_, bin_, lidC_, challC_, pInitRRPID_, purchaseNonce_, *res, std::move(verified), name};
  return *offer_;
}

mobile::Binding MobileCardholder::binding() const {
  return mobile::Binding{requireOffer().verified.data.transIDs.xid, purchaseNonce_, terminalID_,
                         std::chrono::floor<std::chrono::seconds>(clock_.now())};
}

// ---- d: the wake-up's order and amount, a fresh ODSalt and PReq RRPID, the merchant's PInitRes.
Bytes MobileCardholder::signatureRequest(mobile::CardMode mode) {
  const MobileOffer& offer = requireOffer();
  mobile::SignatureRequest d;
  d.binding = binding();
  d.profile = config_.profile.id();
  d.mode = mode;
  d.pInitRes = offer.pInitRes.signedData;
  d.brandID = offer.brandID;
  d.bin = offer.bin;
  d.rrpid = random_.bytes(protocol::limits::nonce);
  d.od = protocol::toBytes(offer.wakeUp.orderDescription.value_or(""));
  d.purchAmt = offer.wakeUp.purchAmt;
  d.odSalt = random_.bytes(protocol::limits::nonce);
  sentD_ = mobile::sign(d, config_.channelKey.get());
  requestRRPID_ = d.rrpid;
  sentRequest_ = std::move(d);
  return sentD_;
}

// ---- PRes (as Cardholder::acceptResponse): signed by the PInitRes merchant, echoes our RRPID and Chall-C.
PurchaseOutcome MobileCardholder::acceptPRes(ByteView der) {
  const MobileOffer& offer = requireOffer();
  PurchaseOutcome out;
  try {
    const protocol::MessageWrapper w = receive(der);
    const auto* pres = std::get_if<protocol::PRes>(&w.message);
    if (!pres) throw ProtocolError(ErrorCode::messageNotSupported, "expected PRes");
    const auto opened = protocol::open(config_.profile, *pres);
    const protocol::PResData& d = opened.data;
    protocol::checkWrapperMatches(w.messageHeader, &d.rrpid, &d.transIDs);
    requireEqual(offer.verified.merchantThumb,
                 protocol::pki::certificateThumbprint(config_.profile, opened.signature.signer.get()),
                 ErrorCode::invalidCertificate, "PRes signed by another certificate than PInitRes");
    requireEqual(requestRRPID_, d.rrpid, ErrorCode::unknownRRPID, "PRes answers another RRPID");
    requireEqual(challC_, d.challC, ErrorCode::challengeMismatch, "PRes does not echo Chall-C");
    if (d.transIDs != offer.verified.data.transIDs) throw ProtocolError(ErrorCode::unknownXID, "PRes is for other TransIDs");
    if (d.pResPayloadSeq.empty()) throw ProtocolError(ErrorCode::decodingFailure, "empty PResPayloadSeq");
    const protocol::PResPayload& p = d.pResPayloadSeq.front();
    out.completionCode = p.completionCode;
    if (p.results && p.results->authStatus) out.authStatus = p.results->authStatus;
    out.detail = std::string(protocol::name(p.completionCode));
  } catch (const MerchantError& e) {
    out.error = e.code();
    out.errorFromMerchant = true;
    out.detail = e.what();
  } catch (const ProtocolError& e) {
    out.error = e.code();
    out.detail = e.what();
  }
  return out;
}

}  // namespace setpay::wallet
