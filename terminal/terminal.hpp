// The mobile terminal as a library (protocol/MOBILE-MESSAGES.md "What the card signs is what the terminal shows"):
// review() authenticates d and works out what to show from the merchant's verified certificate and
// d's order, amount and date; answer() drives the card through pcsc/ (PIN, PAN, expiry, PAN secret,
// PSO over the PI-TBS digest), builds PIHead and OIData itself from the shown fields and seals the PI
// for the Cert-PE it validated, producing e; confirmation() authenticates f. Refusals are typed in e.
// One Terminal serves one handset: not thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include "pcsc/reader.hpp"
#include "protocol/mobile/messages.hpp"
#include "protocol/pki/carried_trust.hpp"
#include "protocol/purchase/offer.hpp"
#include "protocol/random.hpp"

namespace setpay::terminal {

namespace mobile = protocol::mobile;
using protocol::Bytes;
using protocol::ByteView;

struct TerminalConfig {
  protocol::pki::TrustAnchors trust;  // SET Root (+ CA certificates and CRLs held) for merchant and Cert-PE
  protocol::ossl::PKey channelKey;    // the enrolled key (private): signs e; its public half is our identity
  protocol::ossl::PKey walletKey;     // the wallet's channel key (public), pinned at enrollment
  bool allowCardData = false;         // seed-literal mode: may PAN and PAN secret go to the wallet?
  std::string swIdent = "setpay-terminal/0.1";
  std::chrono::seconds maxAge{300};   // d and f older than this are refused
  std::size_t rememberedAnswers = 64; // a d seen again gets the same e, never a second signature
};

// What the shopper is shown before the PIN; every field comes from the verified merchant certificate,
// the merchant-signed TransIDs, or d's order fields the card will sign.
struct PurchaseDisplay {
  std::string merchantName, merchantCity, merchantID;
  protocol::CurrencyAmount amount;
  std::string amountText;          // "42.50 EUR"
  std::string orderDescription;    // escaped for a terminal (protocol/text/scrub.hpp)
  protocol::TimePoint date;        // TransIDs.PReqDate
  std::string brand;               // BrandID
};

struct ReviewedRequest {
  mobile::SignatureRequest d;
  Bytes dDigest;
  std::optional<PurchaseDisplay> display;   // what to show; absent iff refusal
  std::optional<mobile::Refusal> refusal;   // d is authentic but cannot be signed (badRequest, modeRefused)
  std::optional<protocol::VerifiedOffer> offer;
};

struct PinRequest {
  const PurchaseDisplay& display;
  unsigned triesLeft;
  bool afterWrongPin;
};
// The PIN, or nullopt when the shopper cancels. Called again after a wrong PIN.
using PinPrompt = std::function<std::optional<std::string>(const PinRequest&)>;

struct ReaderChoice {
  std::optional<std::string> name;        // this reader; otherwise the first holding our application
  std::chrono::milliseconds cardWait{0};  // how long to wait for a card in the named reader
};

class Terminal {
 public:
  Terminal(TerminalConfig, const protocol::Clock&, protocol::RandomSource&);

  const Bytes& terminalID() const { return terminalID_; }

  // Throws protocol::ProtocolError when d is not an authentic, recent d from our wallet for this
  // terminal (channel.hpp): nothing is answered then.
  ReviewedRequest review(ByteView d) const;
  // e: the card's answer, or a typed refusal (wrong PIN, blocked, removed, no reader, …).
  Bytes answer(const ReviewedRequest&, const pcsc::Context&, const ReaderChoice&, const PinPrompt&);
  // e refusing without the card (the shopper declined at the display, …).
  Bytes refuse(const ReviewedRequest&, mobile::RefusalReason, std::optional<std::string> detail = std::nullopt);
  // f from our wallet for this terminal.
  mobile::PurchaseConfirmation confirmation(ByteView f) const;

 private:
  using Answer = std::variant<mobile::SealedPI, mobile::CardData, mobile::Refusal>;
  Bytes respond(const ReviewedRequest&, Answer);
  const Bytes* answered(const Bytes& purchaseNonce) const;

  TerminalConfig config_;
  const protocol::Clock& clock_;
  protocol::RandomSource& random_;
  Bytes terminalID_;
  std::deque<std::pair<Bytes, Bytes>> answers_;  // (purchase nonce, e) most recent last
};

}  // namespace setpay::terminal
