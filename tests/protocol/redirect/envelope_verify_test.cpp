// Verifying message c at the wallet: accepted when signed by the key enrolled for that MSISDN and
// sender, fresh and new; refused, with its own reason, when unsigned, mis-signed, tampered with, not
// enrolled, stale, replayed, or without the right wallet password.
#include <gtest/gtest.h>

#include "protocol/redirect/password.hpp"
#include "tests/protocol/redirect/redirect_fixture.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::protocol::redirect_test {
namespace {

using std::chrono::seconds;

class EnvelopeVerify : public ::testing::Test {
 protected:
  Fixture f;
  std::optional<RedirectReason> verify(const RedirectEnvelope& e) { return reasonOf([&] { f.verify(e); }); }
  std::optional<RedirectReason> accept(const std::string& xml) { return reasonOf([&] { f.accept(xml); }); }
};

TEST_F(EnvelopeVerify, SignedByTheEnrolledKeyIsAccepted) {
  const RedirectEnvelope e = f.signedEc();
  const VerifiedRedirect v = f.accept(formatEnvelope(e));
  EXPECT_EQ(v.envelope, e);
  EXPECT_EQ(v.wakeUp.paymentUrl, merchantUrl);
  EXPECT_EQ(v.wakeUp.purchAmt.amount, 4250);
  EXPECT_EQ(f.nonces.size(), 1u);
}

TEST_F(EnvelopeVerify, RsaKeysWorkToo) {
  const Sender relay{SenderKind::relay, "relay-7"};
  f.sender = relay;
  f.keys.enroll(msisdn(), relay, f.rsa.key.get());
  const RedirectEnvelope e = f.signedWith(f.rsa);
  EXPECT_EQ(e.auth->signature->algorithm, SignatureAlgorithm::rsaPkcs1Sha256);
  EXPECT_EQ(accept(formatEnvelope(e)), std::nullopt);
}

TEST_F(EnvelopeVerify, UnsignedIsRefused) {
  RedirectEnvelope noAuth = f.signedEc();
  noAuth.auth.reset();
  EXPECT_EQ(accept(formatEnvelope(noAuth)), RedirectReason::unsigned_);
  RedirectEnvelope noSignature = f.signedEc();
  noSignature.auth->signature.reset();
  EXPECT_EQ(accept(formatEnvelope(noSignature)), RedirectReason::unsigned_);
  EXPECT_EQ(f.nonces.size(), 0u);
}

TEST_F(EnvelopeVerify, UnknownMsisdnAndKeyNotEnrolled) {
  RedirectEnvelope e = f.signedEc();
  e.msisdn = msisdn("+33699999999");
  EXPECT_EQ(verify(e), RedirectReason::unknownMsisdn);

  f.keys.openAccount(msisdn("+33611111111"));
  // Same sender, other MSISDN: its key is enrolled for +33612345678 only.
  RedirectEnvelope other = f.signedEc();
  other.msisdn = msisdn("+33611111111");
  EXPECT_EQ(verify(other), RedirectReason::keyNotEnrolled);

  f.sender = Sender{SenderKind::onTerminal, "handset-2"};  // a sender the account never enrolled
  EXPECT_EQ(verify(f.signedEc()), RedirectReason::keyNotEnrolled);
}

TEST_F(EnvelopeVerify, SignedByAnotherKeyIsRefused) {
  // The rsa-2048 key signs, the wallet holds the EC key for this sender: the alg does not fit.
  EXPECT_EQ(verify(f.signedWith(f.rsa)), RedirectReason::badSignature);
  // Another P-256 key, same alg: the signature does not verify.
  support::TestKey impostor{"ec-impostor", "", "", "", "", support::generateKey("ec-p256"), nullptr};
  impostor.cert = support::selfSignedCertificate(impostor.key.get(), "impostor", 9);
  EXPECT_EQ(verify(f.signedWith(impostor)), RedirectReason::badSignature);
}

TEST_F(EnvelopeVerify, WeakEnrolledKeyIsNotAnEnrollment) {
  const support::TestKey weak = support::loadTestKey("rsa-1024");
  EXPECT_FALSE(signatureAlgorithmFor(weak.key.get()));
  f.keys.enroll(msisdn(), f.sender, weak.key.get());
  RedirectEnvelope e = f.signedEc();
  EXPECT_EQ(verify(e), RedirectReason::keyNotEnrolled);
}

TEST_F(EnvelopeVerify, EveryFieldIsCoveredBySignature) {
  const RedirectEnvelope good = f.signedEc("pw");
  f.keys.enroll(msisdn("+33611111111"), f.sender, f.ec.key.get());  // so a changed MSISDN still finds the key
  f.keys.enroll(msisdn(), Sender{SenderKind::relay, f.sender.id}, f.ec.key.get());
  f.keys.enroll(msisdn(), Sender{SenderKind::direct, "pc-redirector-2"}, f.ec.key.get());
  const auto tampered = [&](auto change) {
    RedirectEnvelope e = good;
    change(e);
    return verify(e);
  };
  EXPECT_EQ(tampered([](auto&) {}), std::nullopt);
  f.nonces = MemoryNonceRegistry();
  EXPECT_EQ(tampered([](auto& e) { e.sender.kind = SenderKind::relay; }), RedirectReason::badSignature);
  EXPECT_EQ(tampered([](auto& e) { e.sender.id = "pc-redirector-2"; }), RedirectReason::badSignature);
  EXPECT_EQ(tampered([](auto& e) { e.msisdn = msisdn("+33611111111"); }), RedirectReason::badSignature);
  EXPECT_EQ(tampered([](auto& e) {
              const std::string other = replaced(wakeUpText(), "4250", "4251");
              e.wakeUp = toBytes(other);
            }),
            RedirectReason::badSignature);
  EXPECT_EQ(tampered([](auto& e) { e.auth->nonce[0] ^= 1; }), RedirectReason::badSignature);
  EXPECT_EQ(tampered([](auto& e) { e.auth->time += seconds(1); }), RedirectReason::badSignature);
  EXPECT_EQ(tampered([](auto& e) { e.auth->walletPassword = "pW"; }), RedirectReason::badSignature);
  EXPECT_EQ(tampered([](auto& e) { e.auth->walletPassword.reset(); }), RedirectReason::badSignature);
  EXPECT_EQ(tampered([](auto& e) { e.auth->signature->value.back() ^= 1; }), RedirectReason::badSignature);
  EXPECT_EQ(tampered([](auto& e) { e.auth->signature->algorithm = SignatureAlgorithm::rsaPkcs1Sha256; }),
            RedirectReason::badSignature);
}

TEST_F(EnvelopeVerify, TamperedXmlTextIsRefused) {
  const std::string xml = formatEnvelope(f.signedEc());
  EXPECT_EQ(accept(replaced(xml, "id=\"pc-redirector-1\"", "id=\"pc-redirector-2\"")), RedirectReason::keyNotEnrolled);
  EXPECT_EQ(accept(replaced(xml, "<Time>2026-01-01T00:00:00Z", "<Time>2026-01-01T00:00:01Z")), RedirectReason::badSignature);
}

TEST_F(EnvelopeVerify, StaleEitherWayBeyondTheWindow) {
  const std::string xml = formatEnvelope(f.signedEc());  // Time = the clock's now
  f.clock.advance(seconds(301));
  EXPECT_EQ(accept(xml), RedirectReason::stale);
  f.clock.set(vectorEpoch() - seconds(301));  // our clock behind: the envelope is from the future
  EXPECT_EQ(accept(xml), RedirectReason::stale);
  EXPECT_NE(messageOf([&] { f.accept(xml); }).find("future"), std::string::npos);
  f.clock.set(vectorEpoch() + seconds(300));  // the window's edge is still inside
  EXPECT_EQ(accept(xml), std::nullopt);
  EXPECT_EQ(f.nonces.size(), 1u);  // stale attempts did not use up the nonce
}

TEST_F(EnvelopeVerify, ConfigurableWindow) {
  const RedirectEnvelope e = f.signedEc();
  f.clock.advance(seconds(31));
  EXPECT_EQ(reasonOf([&] { verifyEnvelope(e, f.keys, f.nonces, f.clock, VerifyPolicy{seconds(30)}); }), RedirectReason::stale);
  EXPECT_EQ(reasonOf([&] { verifyEnvelope(e, f.keys, f.nonces, f.clock, VerifyPolicy{seconds(60)}); }), std::nullopt);
  // A window outside 1 s .. 24 h is the caller's mistake, not the peer's: refused before any check.
  const std::string window = "unspecifiedFailure: message c: freshness window must be 1 s .. 24 h";
  EXPECT_EQ(test_support::thrownMessage<ProtocolError>(
                [&] { verifyEnvelope(e, f.keys, f.nonces, f.clock, VerifyPolicy{seconds(0)}); }),
            window);
  EXPECT_EQ(test_support::thrownMessage<ProtocolError>(
                [&] { verifyEnvelope(e, f.keys, f.nonces, f.clock, VerifyPolicy{std::chrono::hours(25)}); }),
            window);
}

TEST_F(EnvelopeVerify, ReplayedIsRefused) {
  const std::string xml = formatEnvelope(f.signedEc());
  EXPECT_EQ(accept(xml), std::nullopt);
  f.clock.advance(seconds(10));
  EXPECT_EQ(accept(xml), RedirectReason::replayed);
  // The next envelope from the same sender has a fresh nonce.
  EXPECT_EQ(accept(formatEnvelope(f.signedEc())), std::nullopt);
}

TEST_F(EnvelopeVerify, FullReplayMemoryRefusesRatherThanForgets) {
  f.nonces = MemoryNonceRegistry(1);
  EXPECT_EQ(verify(f.signedEc()), std::nullopt);
  EXPECT_EQ(verify(f.signedEc()), RedirectReason::replayCacheFull);
}

TEST_F(EnvelopeVerify, WalletPasswordWhenTheAccountHasOne) {
  SeededRandom salt("salt");
  f.keys.enroll(msisdn(), f.sender, f.ec.key.get(), hashWalletPassword("open sesame", salt, ScryptParams{10, 8, 1}));
  EXPECT_EQ(verify(f.signedEc()), RedirectReason::passwordRequired);
  EXPECT_EQ(verify(f.signedEc("open sesamE")), RedirectReason::passwordWrong);
  EXPECT_EQ(messageOf([&] { f.verify(f.signedEc("open sesamE")); }).find("sesam"), std::string::npos);
  EXPECT_EQ(verify(f.signedEc("open sesame")), std::nullopt);
  // An account without a password ignores one sent anyway.
  f.keys.enroll(msisdn(), f.sender, f.ec.key.get());
  EXPECT_EQ(verify(f.signedEc("whatever")), std::nullopt);
}

TEST_F(EnvelopeVerify, GatewayProxyKeyServesEveryMsisdnTheWalletLetsIt) {
  // The lookup is the wallet's: here it enrolled one operator-wide redirector key for two accounts.
  const Sender gw{SenderKind::gatewayProxy, "operator-gw-1"};
  f.sender = gw;
  f.keys.enroll(msisdn(), gw, f.rsa.key.get());
  f.keys.enroll(msisdn("+33611111111"), gw, f.rsa.key.get());
  SoftwareSigner signer(support::shareCert(f.rsa.cert.get()), support::shareKey(f.rsa.key.get()));
  for (const char* m : {"+33612345678", "+33611111111"}) {
    EnvelopeContent c = f.content();
    c.msisdn = msisdn(m);
    const auto e = signEnvelope(c, SignatureAlgorithm::rsaPkcs1Sha256, signer, f.random, f.clock);
    EXPECT_EQ(accept(formatEnvelope(e)), std::nullopt) << m;
  }
}

}  // namespace
}  // namespace setpay::protocol::redirect_test
