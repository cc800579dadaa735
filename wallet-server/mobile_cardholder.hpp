// The wallet's SET cardholder when the card is in the shopper's mobile terminal (protocol/
// MOBILE-MESSAGES.md). Same purchase as Cardholder (cardholder.hpp) up to PInitRes, but without a card: the
// BIN comes from the account, d asks the enrolled terminal, and the PReq is assembled from e.
// Default mode: e carries the PI sealed by the terminal and the wallet never sees PAN or PAN secret;
// seed-literal mode: e carries the card data and the wallet seals the PI. One object per purchase.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <variant>

#include "protocol/mobile/messages.hpp"
#include "protocol/purchase/offer.hpp"
#include "protocol/random.hpp"
#include "protocol/wakeup/wakeup.hpp"
#include "wallet-server/cardholder.hpp"

namespace setpay::wallet {

namespace mobile = protocol::mobile;

struct MobileWalletConfig {
  protocol::AlgorithmProfile profile;
  protocol::pki::TrustAnchors trust;
  protocol::ossl::PKey channelKey;  // the wallet's channel key (private): signs d and f
  std::string language = "en";
  std::string swIdent = "setpay-wallet/0.1";
  std::optional<std::string> brand = std::nullopt;  // preferred BrandID; default: the wake-up's first
  std::chrono::seconds maxAge{300};                 // an e older than this is refused
};

// The purchase after PInitRes has passed the cardholder's checks: what d is made from.
struct MobileOffer {
  protocol::WakeUp wakeUp;
  std::string brandID, bin;
  protocol::Bytes lidC, challC, pInitRRPID, purchaseNonce;
  protocol::PInitRes pInitRes;      // as received; d carries it to the terminal
  protocol::VerifiedOffer verified;
  std::string merchantName;
};

class MobileCardholder {
 public:
  // terminalKey: the public channel key enrolled for the shopper's MSISDN.
  MobileCardholder(MobileWalletConfig, protocol::ossl::PKey terminalKey, const protocol::Clock&, protocol::RandomSource&);

  // PInitReq; `bin` (6 digits) is the account's, the PAN is not known here.
  protocol::Bytes pInitReq(const protocol::WakeUp&, const std::string& bin);
  // PInitRes: merchant signature and chain, Cert-PE, brand (verifyOffer), RRPID / Chall-C / LIDs echoed.
  const MobileOffer& acceptPInitRes(protocol::ByteView pInitResWrapper);
  // d, signed with the wallet's channel key, bound to XID, the purchase nonce and the terminal.
  protocol::Bytes signatureRequest(mobile::CardMode = mobile::CardMode::sealedPI);
  // e (authenticated, answering the last d) → the dual-signed PReq MessageWrapper, or the terminal's refusal.
  // Throws ProtocolError when e is not acceptable (channel.hpp codes; signatureFailure when the card's
  // dual signature does not cover this purchase's OIData).
  std::variant<protocol::Bytes, mobile::Refusal> pReq(protocol::ByteView e);
  PurchaseOutcome acceptPRes(protocol::ByteView pResWrapper);
  // f after PRes (or the SET error the purchase ended on).
  protocol::Bytes confirmation(const PurchaseOutcome&);
  // f when the wallet ends the purchase itself (a ceiling, the terminal's refusal, no answer in time).
  protocol::Bytes refusalConfirmation(mobile::WalletReason, std::optional<std::string> detail = std::nullopt);

  const std::optional<MobileOffer>& offer() const { return offer_; }

 private:
  protocol::MessageWrapper receive(protocol::ByteView) const;
  protocol::Bytes wrap(protocol::Message, const protocol::Bytes& rrpid) const;
  mobile::Binding binding() const;
  protocol::PReqDualSigned fromCardData(const mobile::CardData&, const protocol::OIData&, const protocol::Bytes& hod);
  protocol::Bytes sendConfirmation(mobile::PurchaseConfirmation);
  const MobileOffer& requireOffer() const;

  MobileWalletConfig config_;
  protocol::ossl::PKey terminalKey_;
  protocol::Bytes terminalID_;
  const protocol::Clock& clock_;
  protocol::RandomSource& random_;
  std::optional<MobileOffer> offer_;
  protocol::WakeUp wakeUp_;
  std::string brandID_, bin_;
  protocol::Bytes lidC_, challC_, pInitRRPID_, purchaseNonce_;
  std::optional<mobile::SignatureRequest> sentRequest_;
  protocol::Bytes sentD_, lastE_, requestRRPID_;
};

}  // namespace setpay::wallet
