// What the terminal refuses to answer at all (d not from our wallet, not for us, stale) and what it
// answers with a typed badRequest (the merchant or Cert-PE does not verify, d bound to another XID):
// the card is never touched in either case.
#include <gtest/gtest.h>

#include "protocol/mobile/channel.hpp"
#include "protocol/mobile/codec.hpp"
#include "tests/terminal/mobile_scene.hpp"

namespace setpay::mobile_test {
namespace {

using protocol::ErrorCode;
using protocol::ProfileId;

ErrorCode reviewError(MobileScene& s, const Bytes& d) {
  try {
    (void)s.terminal().review(d);
  } catch (const protocol::ProtocolError& e) {
    return e.code();
  }
  ADD_FAILURE() << "review accepted the d";
  return ErrorCode::unspecifiedFailure;
}

Bytes resigned(const Bytes& honest, EVP_PKEY* openWith, EVP_PKEY* signWith,
               const std::function<void(mobile::SignatureRequest&)>& edit) {
  auto d = std::get<mobile::SignatureRequest>(mobile::open(honest, openWith));
  edit(d);
  return mobile::sign(d, signWith);
}

TEST(TerminalReview, OnlyAnAuthenticRecentDForThisTerminalIsAnswered) {
  MobileScene s(ProfileId::modern);
  if (!s.ready()) return;
  wallet::MobileCardholder w = s.startPurchase(700);
  const Bytes d = w.signatureRequest();
  EXPECT_NO_THROW((void)s.terminal().review(d));

  protocol::ossl::PKey stranger(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  EXPECT_EQ(reviewError(s, resigned(d, s.walletKey.get(), stranger.get(), [](auto&) {})), ErrorCode::signatureFailure);
  EXPECT_EQ(reviewError(s, resigned(d, s.walletKey.get(), s.walletKey.get(),
                                    [](auto& r) { r.binding.terminalID[0] ^= 1; })),
            ErrorCode::thumbsMismatch);
  EXPECT_EQ(reviewError(s, resigned(d, s.walletKey.get(), s.walletKey.get(),
                                    [](auto& r) { r.binding.date -= std::chrono::hours(1); })),
            ErrorCode::messageTooOld);
  // One flipped bit: in the signature (the last octet of d) a signatureFailure, in the outer tag a
  // decodingFailure; in the middle of the content whichever the strict decoder, which runs first, leaves:
  // decodingFailure if it no longer decodes, else signatureFailure.
  const auto flippedAt = [&](std::size_t at) {
    Bytes flipped = d;
    flipped[at] ^= 0x01;
    return flipped;
  };
  EXPECT_EQ(reviewError(s, flippedAt(d.size() - 1)), ErrorCode::signatureFailure);
  EXPECT_EQ(reviewError(s, flippedAt(0)), ErrorCode::decodingFailure);
  const Bytes middle = flippedAt(d.size() / 2);
  bool decodes = true;
  try {
    (void)mobile::decodeMessage(middle);
  } catch (const protocol::ProtocolError&) {
    decodes = false;
  }
  EXPECT_EQ(reviewError(s, middle), decodes ? ErrorCode::signatureFailure : ErrorCode::decodingFailure);
  // A d is not an e: the terminal's own e sent back to it is refused.
  EXPECT_EQ(reviewError(s, s.terminal().refuse(s.terminal().review(d), mobile::RefusalReason::userCancelled)),
            ErrorCode::signatureFailure);
}

TEST(TerminalReview, AuthenticButUnverifiableDGetsBadRequest) {
  MobileScene s(ProfileId::modern);
  if (!s.ready()) return;
  wallet::MobileCardholder w = s.startPurchase(700);
  const Bytes d = w.signatureRequest();
  auto refusalOf = [&](const std::function<void(mobile::SignatureRequest&)>& edit) {
    const auto reviewed = s.terminal().review(resigned(d, s.walletKey.get(), s.walletKey.get(), edit));
    EXPECT_FALSE(reviewed.display);
    return reviewed.refusal.value_or(mobile::Refusal{});
  };
  const mobile::Refusal otherXid = refusalOf([](auto& r) { r.binding.xid[0] ^= 1; });
  EXPECT_EQ(otherXid.reason, mobile::RefusalReason::badRequest);
  EXPECT_EQ(otherXid.errorCode, ErrorCode::unknownXID);
  const mobile::Refusal otherBrand = refusalOf([](auto& r) { r.brandID = "OTHERBRAND"; });
  EXPECT_EQ(otherBrand.reason, mobile::RefusalReason::badRequest);
  EXPECT_EQ(otherBrand.errorCode, ErrorCode::invalidCertificate);
  const mobile::Refusal otherProfile = refusalOf([](auto& r) { r.profile = ProfileId::set1; });
  EXPECT_EQ(otherProfile.reason, mobile::RefusalReason::badRequest);
  // A modern (CMS) SignedData is not a set1 (PKCS#7 1.5) one: refused at decoding (SPEC-CHOICES "SET 1.0 wire
  // fidelity", item 1).
  EXPECT_EQ(otherProfile.errorCode, ErrorCode::decodingFailure);

  // The answer is a signed refusal the wallet takes as such, and the card was never involved.
  PinPad pad{{MobileScene::kPin}};
  const auto reviewed = s.terminal().review(resigned(d, s.walletKey.get(), s.walletKey.get(), [](auto& r) { r.brandID = "OTHERBRAND"; }));
  const Bytes e = s.terminal().answer(reviewed, s.context(), s.reader0(), pad.prompt());
  const auto response = std::get<mobile::SignatureResponse>(mobile::open(e, s.terminalKey.get()));
  EXPECT_EQ(std::get<mobile::Refusal>(response.answer).reason, mobile::RefusalReason::badRequest);
  EXPECT_TRUE(pad.asked.empty());
}

TEST(TerminalReview, ConfirmationIsAuthenticated) {
  MobileScene s(ProfileId::modern);
  if (!s.ready()) return;
  wallet::MobileCardholder w = s.startPurchase(700);
  (void)w.signatureRequest();
  const Bytes f = w.refusalConfirmation(mobile::WalletReason::dailyCeiling, "daily ceiling 500.00 EUR reached");
  const mobile::PurchaseConfirmation c = s.terminal().confirmation(f);
  EXPECT_EQ(c.outcome, mobile::Outcome::refused);
  EXPECT_EQ(c.walletReason, mobile::WalletReason::dailyCeiling);
  EXPECT_EQ(c.purchAmt, s.scene.eur(700));
  EXPECT_FALSE(c.eDigest);  // the terminal was never asked
  try {
    (void)s.terminal().confirmation(w.signatureRequest());
    ADD_FAILURE() << "a d was taken for an f";
  } catch (const protocol::ProtocolError& e) {
    EXPECT_EQ(e.code(), ErrorCode::wrapperMsgMismatch);
  }
}

}  // namespace
}  // namespace setpay::mobile_test
