#include "wallet-server/cardholder.hpp"

#include <algorithm>

#include "protocol/crypto/digest.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/pki/thumbs.hpp"
#include "protocol/purchase/derivations.hpp"

namespace setpay::wallet {

namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ByteView;
using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

constexpr std::size_t kLocalIdSize = 16;

void requireEqual(ByteView expected, ByteView got, ErrorCode code, const char* what) {
  if (!protocol::constantTimeEqual(expected, got)) throw ProtocolError(code, what);
}

ErrorCode knownCode(int code) {
  const int last = static_cast<int>(ErrorCode::challengeMismatch);
  return code >= 1 && code <= last ? static_cast<ErrorCode>(code) : ErrorCode::unspecifiedFailure;
}

// "SETPAY:Gold" → "SETPAY": the brand part of a BrandID.
std::string brandPart(const std::string& brandID) { return brandID.substr(0, brandID.find(':')); }

}  // namespace

Cardholder::Cardholder(CardholderConfig config, CardAccess& card, const protocol::Clock& clock,
                       protocol::RandomSource& random)
    : config_(std::move(config)), card_(card), clock_(clock), random_(random) {}

protocol::MessageWrapper Cardholder::receive(ByteView der) const {
  protocol::MessageWrapper w = protocol::decode<protocol::MessageWrapper>(der);
  if (const auto* error = std::get_if<protocol::Error>(&w.message)) {
    // Signature checked (integrity); an Error only ever ends the purchase, it never advances it.
    const auto opened = protocol::open(config_.profile, *error);
    const ErrorCode code = knownCode(opened.data.errorCode);
    throw MerchantError(code, "SET Error " + std::string(protocol::name(code)));
  }
  return w;
}

Bytes Cardholder::wrap(protocol::Message message, const Bytes& rrpid) const {
  protocol::MessageHeader header;
  header.date = std::chrono::floor<std::chrono::seconds>(clock_.now());
  protocol::MessageIDs ids;
  ids.lidC = session_.lidC;
  ids.lidM = session_.wakeUp.lidM;
  if (session_.transIDs) ids.xid = session_.transIDs->xid;
  header.messageIDs = ids;
  header.rrpid = rrpid;
  header.swIdent = config_.swIdent;
  return protocol::encode(protocol::MessageWrapper{std::move(header), std::move(message), {}});
}

// ---- PInitReq (notes §2.2): fresh RRPID, Chall-C, LID-C; BIN = first six PAN digits.
Bytes Cardholder::pInitReq(const protocol::WakeUp& wakeUp) {
  if (wakeUp.brands.empty()) throw ProtocolError(ErrorCode::decodingFailure, "wake-up offers no brand");
  std::string brandID = wakeUp.brands.front();
  if (config_.brand) {
    if (std::find(wakeUp.brands.begin(), wakeUp.brands.end(), *config_.brand) == wakeUp.brands.end())
      throw ProtocolError(ErrorCode::unspecifiedFailure, "the merchant does not accept brand " + *config_.brand);
    brandID = *config_.brand;
  }
  session_ = Session{};
  session_.wakeUp = wakeUp;
  session_.brandID = brandID;
  session_.lidC = random_.bytes(kLocalIdSize);
  session_.pInitRRPID = random_.bytes(protocol::limits::nonce);
  session_.challC = random_.bytes(protocol::limits::nonce);

  const CardIdentity id = card_.identity();
  if (id.pan.size() < 6) throw ProtocolError(ErrorCode::unspecifiedFailure, "card PAN too short");
  protocol::PInitReq req;
  req.rrpid = session_.pInitRRPID;
  req.language = wakeUp.language.value_or(config_.language);
  req.localIDC = session_.lidC;
  req.localIDM = wakeUp.lidM;
  req.challC = session_.challC;
  req.brandID = brandID;
  req.bin = id.pan.substr(0, 6);
  req.thumbs = pki::thumbsOf(config_.profile, config_.trust);  // so the merchant carries only what we lack
  return wrap(std::move(req), session_.pInitRRPID);
}

// ---- PInitRes checks (notes §2.3 "what the cardholder does"), then PReq (§2.4, §3.3).
Bytes Cardholder::pReq(ByteView pInitResWrapper) {
  const protocol::MessageWrapper w = receive(pInitResWrapper);
  const auto* res = std::get_if<protocol::PInitRes>(&w.message);
  if (!res) throw ProtocolError(ErrorCode::messageNotSupported, "expected PInitRes");
  const auto& profile = config_.profile;
  auto opened = protocol::open(profile, *res);
  const protocol::PInitResData& d = opened.data;
  protocol::checkWrapperMatches(w.messageHeader, &d.rrpid, &d.transIDs);

  // 1. Merchant signature (done by open) and chain.
  const auto merchantChain = pki::validateCarried(profile, config_.trust, opened.signature.signer.get(),
                                                  opened.signature, pki::Role::merchantSignature, clock_);
  // 2–3. RRPID and Chall-C are ours; TransIDs carry our LID-C and the wake-up's LID-M.
  requireEqual(session_.pInitRRPID, d.rrpid, ErrorCode::unknownRRPID, "PInitRes answers another RRPID");
  requireEqual(session_.challC, d.challC, ErrorCode::challengeMismatch, "PInitRes does not echo Chall-C");
  if (d.transIDs.lidC != session_.lidC || d.transIDs.lidM != session_.wakeUp.lidM)
    throw ProtocolError(ErrorCode::unknownLID, "PInitRes TransIDs carry another LID-C / LID-M");
  // 7. Cert-PE: the carried certificate whose thumbprint is PEThumb, valid for gateway key exchange.
  const X509* certPE = nullptr;
  for (const auto& c : opened.signature.certificates)
    if (protocol::constantTimeEqual(pki::certificateThumbprint(profile, c.get()), d.peThumb)) certPE = c.get();
  if (!certPE) throw ProtocolError(ErrorCode::missingCertificate, "Cert-PE named by PEThumb not carried");
  const auto gatewayChain = pki::validateCarried(profile, config_.trust, certPE, opened.signature,
                                                 pki::Role::gatewayKeyExchange, clock_);
  // 8. Both certificates belong to the brand chosen in PInitReq.
  const std::string brand = brandPart(session_.brandID);
  if (pki::brandOf(merchantChain) != brand || pki::brandOf(gatewayChain) != brand)
    throw ProtocolError(ErrorCode::invalidCertificate, "merchant or gateway certificate is not of brand " + brand);
  // 6. The BCI: the CRLs it names current must be the ones we validated with. 9. Thumbs echoed.
  const pki::ValidatedChain* chains[] = {&merchantChain, &gatewayChain};
  pki::requireCurrentCrls(profile, config_.trust, d.brandCRLIdentifier, opened.signature, chains, clock_);
  pki::checkThumbsEcho(pki::thumbsOf(profile, config_.trust), d.thumbs);
  const auto merchantData = pki::merchantDataOf(opened.signature.signer.get());
  if (!merchantData) throw ProtocolError(ErrorCode::invalidCertificate, "merchant certificate lacks merchantData");

  // 5. Keep TransIDs and Chall-M.
  session_.transIDs = d.transIDs;
  session_.challM = d.challM;
  session_.peThumb = d.peThumb;
  session_.merchantThumb = pki::certificateThumbprint(profile, opened.signature.signer.get());
  session_.gatewayKeyExchange = pki::share(certPE);
  session_.merchantID = merchantData->merID;

  // OIData with HOD = DD(HODInput{OD, PurchAmt, ODSalt}); ODSalt blinds OD.
  const protocol::WakeUp& wake = session_.wakeUp;
  protocol::HODInput hodInput{protocol::toBytes(wake.orderDescription.value_or("")), wake.purchAmt,
                              random_.bytes(protocol::limits::nonce), std::nullopt, {}};
  const Bytes hod = protocol::hod(profile, hodInput);
  session_.requestRRPID = random_.bytes(protocol::limits::nonce);
  session_.requestChall = session_.challC;

  protocol::OIData oi;
  oi.transIDs = d.transIDs;
  oi.rrpid = session_.requestRRPID;
  oi.challC = session_.challC;
  oi.hod = hod;
  oi.odSalt = hodInput.odSalt;
  oi.challM = d.challM;
  oi.brandID = session_.brandID;
  const CardIdentity id = card_.identity();
  oi.bin = id.pan.substr(0, 6);

  protocol::PIHead head;
  head.transIDs = d.transIDs;
  head.hod = hod;
  head.purchAmt = wake.purchAmt;
  head.merchantID = merchantData->merID;
  head.transStain = protocol::transStain(profile, d.transIDs.xid, id.panSecret);
  head.swIdent = config_.swIdent;
  if (config_.hardening) head.piExtensions.push_back(protocol::gatewayThumbExtension(d.peThumb));

  protocol::PReq preq;
  if (card_.certificate()) {
    protocol::SignOptions options;
    options.extra.certificates = card_.chain();
    preq = protocol::buildPReqDualSigned(profile, random_, clock_, card_.signer(), certPE, std::move(head),
                                         protocol::PANData{id.pan, id.cardExpiry, id.panSecret,
                                                           random_.bytes(protocol::limits::nonce)},
                                         oi, options);
    session_.signedPReq = true;
  } else {
    preq = protocol::buildPReqUnsigned(profile, random_, certPE, std::move(head),
                                       protocol::PANToken{id.pan, id.cardExpiry, random_.bytes(protocol::limits::nonce)},
                                       oi);
  }
  return wrap(std::move(preq), session_.requestRRPID);
}

// ---- PRes / InqRes (notes §2.6): signed by the same merchant, echo our RRPID and Chall-C.
PurchaseOutcome Cardholder::acceptResponse(ByteView der, bool inquiry) {
  if (!session_.transIDs) throw ProtocolError(ErrorCode::unknownXID, "no purchase in progress");
  const protocol::MessageWrapper w = receive(der);
  std::optional<protocol::OpenedPRes> opened;
  if (const auto* pres = std::get_if<protocol::PRes>(&w.message); pres && !inquiry)
    opened = protocol::open(config_.profile, *pres);
  else if (const auto* inq = std::get_if<protocol::InqRes>(&w.message); inq && inquiry)
    opened = protocol::open(config_.profile, *inq);
  else
    throw ProtocolError(ErrorCode::messageNotSupported, inquiry ? "expected InqRes" : "expected PRes");
  const protocol::PResData& d = opened->data;
  protocol::checkWrapperMatches(w.messageHeader, &d.rrpid, &d.transIDs);
  requireEqual(session_.merchantThumb, pki::certificateThumbprint(config_.profile, opened->signature.signer.get()),
               ErrorCode::invalidCertificate, "response signed by another certificate than PInitRes");
  requireEqual(session_.requestRRPID, d.rrpid, ErrorCode::unknownRRPID, "response answers another RRPID");
  requireEqual(session_.requestChall, d.challC, ErrorCode::challengeMismatch, "response does not echo Chall-C");
  if (d.transIDs != *session_.transIDs) throw ProtocolError(ErrorCode::unknownXID, "response is for other TransIDs");
  if (d.pResPayloadSeq.empty()) throw ProtocolError(ErrorCode::decodingFailure, "empty PResPayloadSeq");

  const protocol::PResPayload& p = d.pResPayloadSeq.front();
  PurchaseOutcome out;
  out.completionCode = p.completionCode;
  if (p.results && p.results->authStatus) out.authStatus = p.results->authStatus;
  out.detail = std::string(protocol::name(p.completionCode));
  return out;
}

PurchaseOutcome Cardholder::acceptPRes(ByteView der) { return acceptResponse(der, false); }
PurchaseOutcome Cardholder::acceptInqRes(ByteView der) { return acceptResponse(der, true); }

// ---- InqReq: new RRPID and Chall-C each time; signed only if the PReq was.
Bytes Cardholder::inqReq() {
  if (!session_.transIDs) throw ProtocolError(ErrorCode::unknownXID, "no purchase to inquire about");
  session_.requestRRPID = random_.bytes(protocol::limits::nonce);
  session_.requestChall = random_.bytes(protocol::limits::nonce);
  const protocol::InqReqData data{*session_.transIDs, session_.requestRRPID, session_.requestChall, {}};
  protocol::InqReq req{data};
  if (session_.signedPReq) req = protocol::buildInqReqSigned(config_.profile, card_.signer(), clock_, data);
  return wrap(std::move(req), session_.requestRRPID);
}

namespace {
template <class Steps>
PurchaseOutcome guarded(Steps steps) {
  PurchaseOutcome out;
  try {
    return steps();
  } catch (const MerchantError& e) {
    out.error = e.code();
    out.errorFromMerchant = true;
    out.detail = e.what();
  } catch (const ProtocolError& e) {
    out.error = e.code();
    out.detail = e.what();
  } catch (const std::exception& e) {  // transport, card reader, allocation: still an outcome
    out.error = ErrorCode::unspecifiedFailure;
    out.detail = e.what();
  }
  return out;
}
}  // namespace

PurchaseOutcome Cardholder::purchase(const protocol::WakeUp& wakeUp, const Transport& toMerchant) {
  return guarded([&] {
    const Bytes pInitRes = toMerchant(pInitReq(wakeUp));
    return acceptPRes(toMerchant(pReq(pInitRes)));
  });
}

PurchaseOutcome Cardholder::inquire(const Transport& toMerchant) {
  return guarded([&] { return acceptInqRes(toMerchant(inqReq())); });
}

}  // namespace setpay::wallet
