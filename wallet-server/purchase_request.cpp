// PInitRes → PReq (SET Book 2, the cardholder's PInitRes processing, then PReq), one named step each,
// in Book 2's order. Nothing is kept until every check has passed.
#include "protocol/crypto/digest.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/pki/extensions.hpp"
#include "protocol/purchase/thumbs.hpp"
#include "protocol/purchase/derivations.hpp"
#include "wallet-server/cardholder.hpp"

namespace setpay::wallet {

namespace pki = protocol::pki;
using protocol::Bytes;
using protocol::ByteView;
using protocol::ErrorCode;
using protocol::ProtocolError;

namespace {

void requireEqual(ByteView expected, ByteView got, ErrorCode code, const char* what) {
  if (!protocol::constantTimeEqual(expected, got)) throw ProtocolError(code, what);
}

std::string brandPart(const std::string& brandID) { return brandID.substr(0, brandID.find(':')); }

}  // namespace

struct Cardholder::PInitResContext {
  protocol::OpenedPInitRes opened;  // PInitResData and the merchant's verified signature
  pki::ValidatedChain merchantChain, gatewayChain;
  const X509* certPE = nullptr;
  std::string merchantID;

  const protocol::PInitResData& data() const { return opened.data; }
};

// ---- the sequence

Bytes Cardholder::processPInitRes(ByteView der) {
  requireStage(Stage::initiated, "a PInitRes");
  const protocol::MessageWrapper w = receive(der);
  const auto* res = std::get_if<protocol::PInitRes>(&w.message);
  if (!res) throw ProtocolError(ErrorCode::messageNotSupported, "expected PInitRes");
  PInitResContext r{protocol::open(config_.profile, *res), {}, {}, nullptr, {}};  // 1. signature
  protocol::checkWrapperMatches(w.messageHeader, &r.data().rrpid, &r.data().transIDs);
  verifyMerchant(r);   // 1. the merchant's chain
  checkTransIDs(r);    // 2. our LID-C, the wake-up's LID-M
  checkEchoes(r);      // 3. our RRPID and Chall-C
  selectCertPE(r);     // 7. Cert-PE by PEThumb, a gateway key-exchange certificate
  checkBrands(r);      // 8. merchant and gateway of the brand chosen in PInitReq
  checkCurrency(r);    // 6. the CRLs the BCI names current are those we validated with; 9. Thumbs echoed
  keepTransaction(r);  // 5. TransIDs, Chall-M, the merchant
  return pReq();
}

// ---- the steps

void Cardholder::verifyMerchant(PInitResContext& r) const {
  const X509* signer = r.opened.signature.signer.get();
  r.merchantChain = pki::validateCarried(config_.profile, config_.trust, signer, r.opened.signature,
                                         pki::Role::merchantSignature, clock_);
  const auto merchantData = pki::merchantDataOf(signer);
  if (!merchantData) throw ProtocolError(ErrorCode::invalidCertificate, "merchant certificate lacks merchantData");
  r.merchantID = merchantData->merID;
}

void Cardholder::checkTransIDs(const PInitResContext& r) const {
  const protocol::TransIDs& ids = r.data().transIDs;
  if (ids.lidC != session_.lidC || ids.lidM != session_.wakeUp.lidM)
    throw ProtocolError(ErrorCode::unknownLID, "PInitRes TransIDs carry another LID-C / LID-M");
}

void Cardholder::checkEchoes(const PInitResContext& r) const {
  requireEqual(session_.pInitRRPID, r.data().rrpid, ErrorCode::unknownRRPID, "PInitRes answers another RRPID");
  requireEqual(session_.challC, r.data().challC, ErrorCode::challengeMismatch, "PInitRes does not echo Chall-C");
}

void Cardholder::selectCertPE(PInitResContext& r) const {
  for (const auto& c : r.opened.signature.certificates)
    if (protocol::constantTimeEqual(pki::certificateThumbprint(config_.profile, c.get()), r.data().peThumb))
      r.certPE = c.get();
  if (!r.certPE) throw ProtocolError(ErrorCode::missingCertificate, "Cert-PE named by PEThumb not carried");
  r.gatewayChain = pki::validateCarried(config_.profile, config_.trust, r.certPE, r.opened.signature,
                                        pki::Role::gatewayKeyExchange, clock_);
}

void Cardholder::checkBrands(const PInitResContext& r) const {
  const std::string brand = brandPart(session_.brandID);
  if (pki::brandOf(r.merchantChain) != brand || pki::brandOf(r.gatewayChain) != brand)
    throw ProtocolError(ErrorCode::invalidCertificate, "merchant or gateway certificate is not of brand " + brand);
}

void Cardholder::checkCurrency(const PInitResContext& r) const {
  const pki::ValidatedChain* chains[] = {&r.merchantChain, &r.gatewayChain};
  protocol::requireCurrentCrls(config_.profile, config_.trust, r.data().brandCRLIdentifier, r.opened.signature, chains,
                               clock_);
  protocol::checkThumbsEcho(protocol::thumbsOf(config_.profile, config_.trust), r.data().thumbs);
}

void Cardholder::keepTransaction(const PInitResContext& r) {
  session_.transIDs = r.data().transIDs;
  session_.challM = r.data().challM;
  session_.peThumb = r.data().peThumb;
  session_.merchantThumb = pki::certificateThumbprint(config_.profile, r.opened.signature.signer.get());
  session_.gatewayKeyExchange = pki::share(r.certPE);
  session_.merchantID = r.merchantID;
}

// PReq: OIData with HOD = DD(HODInput{OD, PurchAmt, ODSalt}) (ODSalt blinds OD), PIHead for the
// gateway, dual-signed by the card when it has a certificate, else unsigned.
Bytes Cardholder::pReq() {
  const auto& profile = config_.profile;
  const protocol::WakeUp& wake = session_.wakeUp;
  const protocol::TransIDs& ids = *session_.transIDs;
  const protocol::HODInput hodInput{protocol::toBytes(wake.orderDescription.value_or("")), wake.purchAmt,
                                    random_.bytes(protocol::limits::nonce), std::nullopt, {}};
  const Bytes hod = protocol::hod(profile, hodInput);
  session_.requestRRPID = random_.bytes(protocol::limits::nonce);
  session_.requestChall = session_.challC;
  const CardIdentity id = card_.identity();

  protocol::OIData oi;
  oi.transIDs = ids;
  oi.rrpid = session_.requestRRPID;
  oi.challC = session_.challC;
  oi.hod = hod;
  oi.odSalt = hodInput.odSalt;
  oi.challM = session_.challM;
  oi.brandID = session_.brandID;
  oi.bin = id.pan.substr(0, 6);

  protocol::PIHead head;
  head.transIDs = ids;
  head.hod = hod;
  head.purchAmt = wake.purchAmt;
  head.merchantID = session_.merchantID;
  head.transStain = protocol::transStain(profile, ids.xid, id.panSecret);
  head.swIdent = config_.swIdent;
  if (config_.hardening) head.piExtensions.push_back(protocol::gatewayThumbExtension(session_.peThumb));

  const X509* certPE = session_.gatewayKeyExchange.get();
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
  session_.stage = Stage::requested;
  return wrap(std::move(preq), session_.requestRRPID);
}

}  // namespace setpay::wallet
