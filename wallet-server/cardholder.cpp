// The cardholder's entry points: PInitReq for the card's brand (SET Book 2), the whole purchase and
// inquiry, and what every received message goes through (a SET Error is taken as the merchant's only
// when the merchant signed it).
#include "wallet-server/cardholder.hpp"

#include <openssl/x509v3.h>

#include <algorithm>

#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/reply.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/purchase/thumbs.hpp"

namespace setpay::wallet {

namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ByteView;
using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

constexpr std::size_t kLocalIdSize = 16;

// "SETPAY:Gold" → "SETPAY": the brand part of a BrandID.
std::string brandPart(const std::string& brandID) { return brandID.substr(0, brandID.find(':')); }

// The organization of the Brand CA above `cert`, following issuers among `cas` (name and key
// identifiers; signatures are the merchant's and the gateway's to verify, this only names the brand).
std::optional<std::string> brandAbove(const X509* cert, const std::vector<const X509*>& cas) {
  const X509* current = cert;
  for (std::size_t depth = 0; current && depth <= cas.size(); ++depth) {
    const X509* issuer = nullptr;
    for (const X509* ca : cas)
      if (ca != current && X509_check_issued(const_cast<X509*>(ca), const_cast<X509*>(current)) == X509_V_OK) issuer = ca;
    if (!issuer) return std::nullopt;
    const auto types = pki::certificateTypeOf(issuer);
    if (types && types->has(pki::CertificateType::bca))
      return pki::nameEntry(X509_get_subject_name(issuer), NID_organizationName);
    current = issuer;
  }
  return std::nullopt;
}

}  // namespace

Cardholder::Cardholder(CardholderConfig config, CardAccess& card, const protocol::Clock& clock,
                       protocol::RandomSource& random)
    : config_(std::move(config)), card_(card), clock_(clock), random_(random) {
  // One validator for the wallet: the caller's (config.trust.cache, shared by its Cardholders), else ours.
  protocol::pki::attachTrustCache(config_.trust, config_.profile);
}

// ---- PInitReq: the card's brand; fresh RRPID, Chall-C, LID-C; BIN = first six PAN digits.
Bytes Cardholder::pInitReq(const protocol::WakeUp& wakeUp) {
  const std::string brandID = chooseBrandID(wakeUp);
  const CardIdentity id = card_.identity();
  if (id.pan.size() < 6) throw ProtocolError(ErrorCode::unspecifiedFailure, "card PAN too short");
  session_ = Session{};
  session_.wakeUp = wakeUp;
  session_.brandID = brandID;
  session_.lidC = random_.bytes(kLocalIdSize);
  session_.pInitRRPID = random_.bytes(protocol::limits::nonce);
  session_.challC = random_.bytes(protocol::limits::nonce);

  protocol::PInitReq req;
  req.rrpid = session_.pInitRRPID;
  req.language = wakeUp.language.value_or(config_.language);
  req.localIDC = session_.lidC;
  req.localIDM = wakeUp.lidM;
  req.challC = session_.challC;
  req.brandID = brandID;
  req.bin = id.pan.substr(0, 6);
  req.thumbs = protocol::thumbsOf(config_.profile, config_.trust);  // so the merchant carries only what we lack
  session_.stage = Stage::initiated;
  return wrap(std::move(req), session_.pInitRRPID);
}

std::string Cardholder::cardBrand() const {
  if (config_.brand) return brandPart(*config_.brand);
  const X509* cert = card_.certificate();
  if (!cert) throw ProtocolError(ErrorCode::unspecifiedFailure, "card without certificate: configure its brand");
  std::vector<const X509*> cas = card_.chain();
  for (const auto& c : config_.trust.caCertificates) cas.push_back(c.get());
  if (config_.trust.root) cas.push_back(config_.trust.root.get());
  const auto brand = brandAbove(cert, cas);
  if (!brand || brand->empty())
    throw ProtocolError(ErrorCode::missingCertificate, "no Brand CA above the card's certificate: its brand is unknown");
  return *brand;
}

std::string Cardholder::chooseBrandID(const protocol::WakeUp& wakeUp) const {
  // The card decides the brand; the merchant's list only says whether it is accepted.
  const std::string brand = cardBrand();
  const auto it = std::find_if(wakeUp.brands.begin(), wakeUp.brands.end(),
                               [&](const std::string& offered) { return brandPart(offered) == brand; });
  if (it == wakeUp.brands.end())
    throw ProtocolError(ErrorCode::unspecifiedFailure, "the merchant does not accept the card's brand " + brand);
  return *it;
}

// ---- what every received message goes through

protocol::MessageWrapper Cardholder::receive(ByteView der) {
  protocol::MessageWrapper w = protocol::decode<protocol::MessageWrapper>(der);
  if (const auto* error = std::get_if<protocol::Error>(&w.message)) merchantError(*error);
  return w;
}

void Cardholder::merchantError(const protocol::Error& error) {
  // An Error ends the purchase only if the merchant signed it: before PInitRes, a signer whose chain
  // validates as a merchant's; after, the very certificate that signed PInitRes. It must answer the
  // request awaiting an answer. Anything else changes nothing (the wallet may still inquire).
  const auto opened = protocol::open(config_.profile, error);
  if (!opened.signature) throw ProtocolError(ErrorCode::signatureRequired, "unsigned Error: not the merchant's answer");
  const X509* signer = opened.signature->signer.get();
  if (session_.transIDs) {
    if (!protocol::constantTimeEqual(session_.merchantThumb, pki::certificateThumbprint(config_.profile, signer)))
      throw ProtocolError(ErrorCode::invalidCertificate, "Error signed by another certificate than PInitRes");
  } else {
    (void)pki::validateCarried(config_.profile, config_.trust, signer, *opened.signature,
                               pki::Role::merchantSignature, clock_);
  }
  const Bytes& outstanding = session_.stage == Stage::initiated ? session_.pInitRRPID : session_.requestRRPID;
  if (const auto* header = std::get_if<protocol::MessageHeader>(&opened.data.errorMsg);
      header && header->rrpid && !protocol::constantTimeEqual(*header->rrpid, outstanding))
    throw ProtocolError(ErrorCode::unknownRRPID, "Error answers another request");
  const ErrorCode code = protocol::errorCodeOf(opened.data.errorCode);
  if (session_.stage != Stage::idle) session_.stage = Stage::ended;
  throw MerchantError(code, "SET Error " + std::string(protocol::name(code)));
}

void Cardholder::requireStage(Stage expected, const char* what) const {
  if (session_.stage != expected) throw ProtocolError(ErrorCode::unknownXID, std::string("no purchase awaits ") + what);
}

Bytes Cardholder::wrap(protocol::Message message, const Bytes& rrpid) const {
  protocol::MessageHeader header = protocol::messageHeader(clock_, config_.swIdent, nullptr, rrpid);
  header.messageIDs = protocol::MessageIDs{session_.lidC, session_.wakeUp.lidM,
                                           session_.transIDs ? std::optional(session_.transIDs->xid) : std::nullopt};
  return protocol::encode(protocol::MessageWrapper{std::move(header), std::move(message), {}});
}

// ---- the whole purchase

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
    return processPRes(toMerchant(processPInitRes(pInitRes)));
  });
}

PurchaseOutcome Cardholder::inquire(const Transport& toMerchant) {
  return guarded([&] { return processInqRes(toMerchant(inqReq())); });
}

}  // namespace setpay::wallet
