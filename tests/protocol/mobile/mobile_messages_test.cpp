// d, e, f: round trips through sign/open with each channel key type, and the receivers' binding and
// authentication checks (protocol/mobile/channel.hpp), each with the ErrorCode MOBILE-MESSAGES.md names.
#include <gtest/gtest.h>

#include "protocol/mobile/channel.hpp"
#include "protocol/mobile/codec.hpp"
#include "tests/protocol/mobile/mobile_samples.hpp"

namespace setpay::protocol::mobile::test {
namespace {

template <class F>
ErrorCode codeOf(F&& f) {
  try {
    f();
  } catch (const ProtocolError& e) {
    return e.code();
  }
  ADD_FAILURE() << "no ProtocolError";
  return ErrorCode::unspecifiedFailure;
}

struct Keys {
  ossl::PKey wallet = ecKey(), terminal = ecKey();
  ossl::PKey walletPublic = publicHalf(wallet.get()), terminalPublic = publicHalf(terminal.get());
  FixedClock clock{sampleDate()};
  Window window{clock};
};

TEST(MobileMessages, RoundTripEveryMessage) {
  Keys k;
  const SignatureRequest d = sampleD(k.terminal.get());
  const Bytes dDer = sign(d, k.wallet.get());
  EXPECT_EQ(openSignatureRequest(dDer, k.walletPublic.get(), terminalIdOf(k.terminal.get()), k.window), d);
  for (const SignatureResponse& e : {sampleSealedE(d.binding, dDer), sampleCardDataE(d.binding, dDer),
                                     sampleRefusalE(d.binding, dDer)}) {
    const Bytes eDer = sign(e, k.terminal.get());
    EXPECT_EQ(openSignatureResponse(eDer, k.terminalPublic.get(), dDer, d.binding, k.window), e);
  }
  const PurchaseConfirmation f = sampleF(d.binding);
  EXPECT_EQ(openConfirmation(sign(f, k.wallet.get()), k.walletPublic.get(), terminalIdOf(k.terminal.get()), k.window), f);
}

TEST(MobileMessages, Ed25519AndRsaChannelKeysWork) {
  std::vector<ossl::PKey> keys;
  keys.push_back(ed25519Key());
  keys.push_back(ossl::PKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048})));
  for (const ossl::PKey& key : keys) {
    const SignatureRequest d = sampleD(key.get());
    const Bytes der = sign(d, key.get());
    EXPECT_EQ(std::get<SignatureRequest>(open(der, publicHalf(key.get()).get())), d);
  }
  ossl::PKey weak(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024}));
  EXPECT_EQ(codeOf([&] { (void)sign(sampleD(weak.get()), weak.get()); }), ErrorCode::invalidCertificate);
}

TEST(MobileMessages, OnlyThePinnedSenderKeyOpens) {
  Keys k;
  const Bytes dDer = sign(sampleD(k.terminal.get()), k.wallet.get());
  const ossl::PKey other = ecKey();
  EXPECT_EQ(codeOf([&] { (void)open(dDer, other.get()); }), ErrorCode::signatureFailure);
  // Same content, other key: the terminal's key cannot stand in for the wallet's.
  const Bytes byTerminal = sign(sampleD(k.terminal.get()), k.terminal.get());
  EXPECT_EQ(codeOf([&] { (void)openSignatureRequest(byTerminal, k.walletPublic.get(), terminalIdOf(k.terminal.get()), k.window); }),
            ErrorCode::signatureFailure);
  // One changed byte of the order description (DER still valid): the signature no longer covers it.
  const Bytes od = toBytes("paperback");
  Bytes changed = patched(dDer, od, toBytes("paperbacK"));
  EXPECT_EQ(codeOf([&] { (void)open(changed, k.walletPublic.get()); }), ErrorCode::signatureFailure);
  // The signature itself changed.
  Bytes badSignature = dDer;
  badSignature.back() ^= 0x01;
  EXPECT_EQ(codeOf([&] { (void)open(badSignature, k.walletPublic.get()); }), ErrorCode::signatureFailure);
}

TEST(MobileMessages, EachReceiverTakesOnlyItsKindOfMessage) {
  Keys k;
  const SignatureRequest d = sampleD(k.terminal.get());
  const Bytes dDer = sign(d, k.wallet.get());
  const Bytes fDer = sign(sampleF(d.binding), k.wallet.get());
  const Bytes id = terminalIdOf(k.terminal.get());
  EXPECT_EQ(codeOf([&] { (void)openSignatureRequest(fDer, k.walletPublic.get(), id, k.window); }), ErrorCode::wrapperMsgMismatch);
  EXPECT_EQ(codeOf([&] { (void)openConfirmation(dDer, k.walletPublic.get(), id, k.window); }), ErrorCode::wrapperMsgMismatch);
  const Bytes dByTerminal = sign(d, k.terminal.get());
  EXPECT_EQ(codeOf([&] { (void)openSignatureResponse(dByTerminal, k.terminalPublic.get(), dDer, d.binding, k.window); }),
            ErrorCode::wrapperMsgMismatch);
}

TEST(MobileMessages, DIsForOneTerminalAndARecentMoment) {
  Keys k;
  const SignatureRequest d = sampleD(k.terminal.get());
  const Bytes dDer = sign(d, k.wallet.get());
  const ossl::PKey otherTerminal = ecKey();
  EXPECT_EQ(codeOf([&] { (void)openSignatureRequest(dDer, k.walletPublic.get(), terminalIdOf(otherTerminal.get()), k.window); }),
            ErrorCode::thumbsMismatch);
  FixedClock later(sampleDate() + std::chrono::minutes(6));
  EXPECT_EQ(codeOf([&] { (void)openSignatureRequest(dDer, k.walletPublic.get(), terminalIdOf(k.terminal.get()), Window{later}); }),
            ErrorCode::messageTooOld);
  FixedClock earlier(sampleDate() - std::chrono::minutes(2));
  EXPECT_EQ(codeOf([&] { (void)openSignatureRequest(dDer, k.walletPublic.get(), terminalIdOf(k.terminal.get()), Window{earlier}); }),
            ErrorCode::messageTooNew);
}

TEST(MobileMessages, EIsBoundToThePurchaseAndToTheDItAnswers) {
  Keys k;
  const SignatureRequest d = sampleD(k.terminal.get());
  const Bytes dDer = sign(d, k.wallet.get());
  auto openE = [&](SignatureResponse e, ByteView answeredD) {
    const Bytes eDer = sign(e, k.terminal.get());
    return codeOf([&] { (void)openSignatureResponse(eDer, k.terminalPublic.get(), answeredD, d.binding, k.window); });
  };
  SignatureResponse otherXid = sampleSealedE(d.binding, dDer);
  otherXid.binding.xid[19] ^= 1;
  EXPECT_EQ(openE(otherXid, dDer), ErrorCode::unknownXID);
  SignatureResponse otherNonce = sampleSealedE(d.binding, dDer);
  otherNonce.binding.purchaseNonce[0] ^= 1;
  EXPECT_EQ(openE(otherNonce, dDer), ErrorCode::unknownRRPID);
  SignatureResponse otherTerminal = sampleSealedE(d.binding, dDer);
  otherTerminal.binding.terminalID[0] ^= 1;
  EXPECT_EQ(openE(otherTerminal, dDer), ErrorCode::thumbsMismatch);
  // Same binding, but it answers another d (e.g. one showing another amount).
  SignatureRequest d2 = d;
  d2.purchAmt.amount = 99;
  const Bytes d2Der = sign(d2, k.wallet.get());
  EXPECT_EQ(openE(sampleSealedE(d.binding, d2Der), dDer), ErrorCode::unknownRRPID);
  // The right e passes, and the digest is SHA-256 of the whole d.
  EXPECT_EQ(sampleSealedE(d.binding, dDer).dDigest.size(), 32u);
  EXPECT_NO_THROW((void)openSignatureResponse(sign(sampleSealedE(d.binding, dDer), k.terminal.get()),
                                              k.terminalPublic.get(), dDer, d.binding, k.window));
}

TEST(MobileMessages, NamesForDisplayAndLogs) {
  EXPECT_EQ(name(RefusalReason::cardBlocked), "cardBlocked");
  EXPECT_EQ(name(Outcome::approved), "approved");
  EXPECT_EQ(name(WalletReason::monthlyCeiling), "monthlyCeiling");
  Keys k;
  const Content c = sampleF(sampleBinding(k.terminal.get()));
  EXPECT_EQ(kindOf(c), "f");
  EXPECT_EQ(bindingOf(c).purchaseNonce.size(), 16u);
  // Field text: control characters replaced, cut on a UTF-8 boundary, details escaped with PANs masked.
  EXPECT_EQ(shownText("Caf\xc3\xa9", 4), "Caf");
  EXPECT_EQ(shownText("Caf\xc3\xa9", 5), "Caf\xc3\xa9");
  EXPECT_EQ(shownText("\xc3\xa9x", 2), "\xc3\xa9");
  EXPECT_EQ(shownText("a\nb\x7f"), "a?b?");
  EXPECT_EQ(detailText("card 4111111111111111 refused"), "card ************1111 refused");
  EXPECT_EQ(detailText("bell\x07"), "bell\\x07");
  EXPECT_FALSE(detailText(""));
}

}  // namespace
}  // namespace setpay::protocol::mobile::test
