// Terminal::answer: the card steps in order (pcsc/CARD-APPLICATION.md §9), then the PI built from what
// was shown (MOBILE-MESSAGES.md "What the card signs"): SELECT → PAN, expiry → certificate → PIN
// dialogue → PAN secret → PIHead/OIData/PANData → dual signature by the card (PSO) → the PI sealed for
// the Cert-PE validated in review() (default), or the card data for the wallet (seed-literal mode).
#include <openssl/crypto.h>

#include "pcsc/card_application.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/mobile/purchase_values.hpp"
#include "terminal/card_session.hpp"
#include "terminal/pso_signer.hpp"
#include "terminal/terminal.hpp"

namespace setpay::terminal {

using protocol::ProtocolError;
using mobile::Refusal;
using mobile::RefusalReason;

namespace {

// Wipes a PAN or PIN held in a std::string when the scope ends.
class WipedText {
 public:
  explicit WipedText(std::string& s) : s_(s) {}
  ~WipedText() { OPENSSL_cleanse(s_.data(), s_.size()); }
  WipedText(const WipedText&) = delete;
  WipedText& operator=(const WipedText&) = delete;

 private:
  std::string& s_;
};

[[noreturn]] void refuse(RefusalReason reason, const char* detail) {
  throw Refused(Refusal{reason, std::nullopt, std::nullopt, detail});
}

// The card must be the one this purchase is for: the profile d names, a key its certificate matches,
// and the BIN the wallet announced in PInitReq (and d repeats in OIData).
void checkCard(const CardSession& session, const protocol::AlgorithmProfile& profile, const X509* certificate) {
  if (session.application().profile != profile.name()) refuse(RefusalReason::wrongCard, "the card is for another profile");
  const bool rsa = EVP_PKEY_get_base_id(X509_get0_pubkey(certificate)) == EVP_PKEY_RSA;
  if (session.application().keyAlgorithm != (rsa ? pcsc::app::keyRsa : pcsc::app::keyEcP256))
    refuse(RefusalReason::wrongCard, "the card's key does not match its certificate");
}

// VERIFY until right, blocked, or the shopper gives up; the prompt sees the tries left each time.
std::optional<Refusal> verifyPin(pcsc::PaymentCard& card, const PurchaseDisplay& display, const PinPrompt& prompt) {
  unsigned tries = card.pinTriesLeft();
  bool afterWrong = false;
  for (;;) {
    if (tries == 0) return Refusal{RefusalReason::cardBlocked, 0, std::nullopt, "PIN blocked"};
    std::optional<std::string> pin = prompt(PinRequest{display, tries, afterWrong});
    if (!pin) {
      if (afterWrong) return Refusal{RefusalReason::wrongPin, static_cast<int>(tries), std::nullopt, "wrong PIN"};
      return Refusal{RefusalReason::userCancelled, std::nullopt, std::nullopt, "cancelled at the PIN"};
    }
    const WipedText wipe(*pin);
    try {
      card.verifyPin(*pin);
      return std::nullopt;
    } catch (const pcsc::CardError& e) {
      if (e.kind() != pcsc::CardErrorKind::statusWord) throw;
      if (e.sw() == pcsc::sw::authenticationBlocked)
        return Refusal{RefusalReason::cardBlocked, 0, std::nullopt, "PIN blocked"};
      if ((e.sw() & 0xFFF0) == 0x63C0) {
        tries = e.sw() & 0x0F;
      } else if (e.sw() != pcsc::sw::wrongLength) {  // 6700: a PIN of the wrong length costs no try
        throw;
      }
      afterWrong = true;
    }
  }
}

struct Inputs {
  const ReviewedRequest& request;
  const std::string& swIdent;
  const protocol::Clock& clock;
  protocol::RandomSource& random;
};

std::variant<mobile::SealedPI, mobile::CardData, Refusal> signWithCard(const Inputs& in, CardSession& session,
                                                                       const PinPrompt& prompt) {
  const mobile::SignatureRequest& d = in.request.d;
  const protocol::VerifiedOffer& offer = *in.request.offer;
  const auto profile = protocol::AlgorithmProfile::make(d.profile);
  pcsc::PaymentCard& card = session.card();

  std::string pan = card.readPan();
  const WipedText wipePan(pan);
  if (pan.compare(0, d.bin.size(), d.bin) != 0) refuse(RefusalReason::wrongCard, "the card's BIN is not the purchase's");
  const std::string expiry = card.readExpiry();
  const protocol::ossl::Cert certificate = protocol::ossl::certFromDer(card.readCertificate());
  checkCard(session, profile, certificate.get());

  if (auto refusal = verifyPin(card, *in.request.display, prompt)) return *refusal;
  protocol::Bytes panSecret = card.readPanSecret();
  const protocol::Cleansed wipeSecret(panSecret);

  // Everything the card signs comes from what was shown and the merchant's signed PInitRes.
  const protocol::Bytes hod = mobile::hodOf(profile, d);
  const protocol::OIData oiData = mobile::oiDataOf(d, offer.data, hod);
  protocol::PIHead head = mobile::piHeadOf(profile, d, offer.data, hod, offer.merchantData.merID, panSecret, in.swIdent);
  protocol::PANData panData{pan, expiry, panSecret, in.random.bytes(protocol::limits::nonce)};
  const WipedText wipePanCopy(panData.pan);
  const protocol::Cleansed wipeSecretCopy(panData.panSecret);
  PsoSigner signer(card, certificate.get());
  protocol::PReq preq = protocol::buildPReqDualSigned(profile, in.random, in.clock, signer, offer.certPE.get(), head,
                                                      panData, oiData);
  auto& dual = std::get<protocol::PReqDualSigned>(preq.value);
  if (d.mode == mobile::CardMode::sealedPI)
    return mobile::SealedPI{std::move(dual.piDualSigned), std::move(dual.hPIData)};
  return mobile::CardData{std::move(head), panData, std::move(dual.piDualSigned.piSignature)};
}

}  // namespace

Bytes Terminal::answer(const ReviewedRequest& r, const pcsc::Context& ctx, const ReaderChoice& choice,
                       const PinPrompt& prompt) {
  if (const Bytes* earlier = answered(r.d.binding.purchaseNonce)) return *earlier;  // never a second signature
  if (r.refusal) return respond(r, *r.refusal);
  if (!r.offer || !r.display) throw ProtocolError(protocol::ErrorCode::unspecifiedFailure, "answer() needs a d from review()");
  Answer answer;
  try {
    CardSession session(ctx, choice);
    answer = signWithCard(Inputs{r, config_.swIdent, clock_, random_}, session, prompt);
  } catch (const Refused& e) {
    answer = e.refusal;
  } catch (const pcsc::CardError& e) {
    answer = refusalFor(e);
  } catch (const ProtocolError& e) {  // e.g. the card's certificate does not decode
    answer = Refusal{RefusalReason::cardFailure, std::nullopt, e.code(), e.what()};
  } catch (const std::exception& e) {  // whatever else: the wallet still gets an answer
    answer = Refusal{RefusalReason::cardFailure, std::nullopt, std::nullopt, e.what()};
  }
  return respond(r, std::move(answer));
}

}  // namespace setpay::terminal
