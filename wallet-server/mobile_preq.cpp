// MobileCardholder from e to f: the PReq assembled from the terminal's answer, then the confirmation.
// Default mode: PIDualSigned and DD(PIData) come sealed from the terminal; the wallet adds the OIData
// it derives from d exactly as the terminal did (protocol/mobile/purchase_values.hpp) and checks the
// card's dual signature covers it. Seed-literal mode: the wallet seals PANData for Cert-PE itself.
#include <openssl/objects.h>

#include "protocol/crypto/digest.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/mobile/channel.hpp"
#include "protocol/mobile/purchase_values.hpp"
#include "wallet-server/mobile_cardholder.hpp"

namespace setpay::wallet {

using protocol::Bytes;
using protocol::ByteView;
using protocol::ErrorCode;
using protocol::ProtocolError;

std::variant<Bytes, mobile::Refusal> MobileCardholder::pReq(ByteView e) {
  const MobileOffer& offer = requireOffer();
  if (!sentRequest_) throw ProtocolError(ErrorCode::unknownRRPID, "no d is waiting for an answer");
  const mobile::SignatureRequest& d = *sentRequest_;
  mobile::SignatureResponse response = mobile::openSignatureResponse(
      e, terminalKey_.get(), sentD_, d.binding, mobile::Window{clock_, config_.maxAge});
  lastE_.assign(e.begin(), e.end());
  if (auto* refusal = std::get_if<mobile::Refusal>(&response.answer)) return std::move(*refusal);

  const auto& profile = config_.profile;
  const Bytes hod = mobile::hodOf(profile, d);
  const protocol::OIData oiData = mobile::oiDataOf(d, offer.verified.data, hod);
  protocol::PReqDualSigned preq;
  if (auto* sealed = std::get_if<mobile::SealedPI>(&response.answer)) {
    if (d.mode != mobile::CardMode::sealedPI) throw ProtocolError(ErrorCode::wrapperMsgMismatch, "e carries a sealed PI, card data was asked");
    preq = protocol::PReqDualSigned{std::move(sealed->piDualSigned), oiData, std::move(sealed->hPIData)};
  } else {
    if (d.mode != mobile::CardMode::cardData) throw ProtocolError(ErrorCode::wrapperMsgMismatch, "e carries card data, a sealed PI was asked");
    preq = fromCardData(std::get<mobile::CardData>(response.answer), oiData, hod);
  }
  // The card signed PI-TBS {DD(PIData), DD(OIData)}: it must be this OIData, and a SET cardholder.
  const protocol::VerifiedSignedData signature = protocol::verifyDualSignature(profile, preq);
  (void)protocol::pki::validateCarried(profile, config_.trust, signature.signer.get(), signature,
                                       protocol::pki::Role::cardholder, clock_);
  return wrap(protocol::PReq{std::move(preq)}, requestRRPID_);
}

// Seed-literal mode: the PIHead must be the one d describes (the terminal's TransStain and SWIdent
// aside, which the wallet recomputes / takes); then DD(PIData) and EX(P, PI-OILink, PANData).
protocol::PReqDualSigned MobileCardholder::fromCardData(const mobile::CardData& card, const protocol::OIData& oiData,
                                                        const Bytes& hod) {
  const MobileOffer& offer = *offer_;
  const auto& profile = config_.profile;
  const protocol::PIHead expected = mobile::piHeadOf(profile, *sentRequest_, offer.verified.data, hod,
                                                     offer.verified.merchantData.merID, card.panData.panSecret,
                                                     card.piHead.swIdent);
  if (!(card.piHead == expected)) throw ProtocolError(ErrorCode::unspecifiedFailure, "e's PIHead is not the purchase d described");
  const Bytes hOIData = protocol::hOIData(profile, oiData);
  protocol::PIDualSigned pi{card.piSignature, mobile::sealPANData(profile, random_, offer.verified.certPE.get(),
                                                                   card.piHead, hOIData, card.panData)};
  return protocol::PReqDualSigned{std::move(pi), oiData,
                                  protocol::DD(profile, NID_setct_PIData, protocol::encode(protocol::PIData{card.piHead, card.panData}))};
}

Bytes MobileCardholder::sendConfirmation(mobile::PurchaseConfirmation f) {
  const MobileOffer& offer = requireOffer();
  f.binding = binding();
  if (!lastE_.empty()) f.eDigest = mobile::digestOf(lastE_);
  f.purchAmt = offer.wakeUp.purchAmt;
  f.merchantName = offer.merchantName;
  if (f.detail) f.detail = mobile::detailText(*f.detail);
  return mobile::sign(f, config_.channelKey.get());
}

Bytes MobileCardholder::confirmation(const PurchaseOutcome& outcome) {
  mobile::PurchaseConfirmation f;
  if (outcome.authStatus) f.authCode = outcome.authStatus->authCode;
  if (outcome.approved()) {
    f.outcome = mobile::Outcome::approved;
  } else if (outcome.error) {
    f.outcome = mobile::Outcome::failed;
    f.errorCode = outcome.error;
  } else {
    f.outcome = mobile::Outcome::declined;
  }
  if (!outcome.detail.empty()) f.detail = outcome.detail;
  return sendConfirmation(std::move(f));
}

Bytes MobileCardholder::refusalConfirmation(mobile::WalletReason reason, std::optional<std::string> detail) {
  mobile::PurchaseConfirmation f;
  f.outcome = mobile::Outcome::refused;
  f.walletReason = reason;
  f.detail = std::move(detail);
  return sendConfirmation(std::move(f));
}

}  // namespace setpay::wallet
