// The card client in-process, no reader: ApduTransport's status-word rules against a scripted card, and
// PaymentCard / CardSigner against the real card application through DirectCard. The same APDU bytes
// cross pcscd in card_pcscd_test.cpp; these catch the same faults without it.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <memory>
#include <sstream>
#include <vector>

#include "pcsc/card_application.hpp"
#include "pcsc/card_error.hpp"
#include "pcsc/card_signer.hpp"
#include "pcsc/direct_card.hpp"
#include "pcsc/payment_card.hpp"
#include "protocol/crypto/signer.hpp"
#include "tests/pcsc/card_support.hpp"

namespace setpay::pcsc {
namespace {

using protocol::unhex;

// Answers from a script, in order, and records every command it was sent.
class ScriptedCard final : public ApduTransport {
 public:
  explicit ScriptedCard(std::vector<ResponseApdu> answers) : answers_(std::move(answers)) {}
  ResponseApdu transmitRaw(const Apdu& command) override {
    sent.push_back(command);
    if (next_ >= answers_.size()) return ResponseApdu{{}, sw::unknown};
    return answers_[next_++];
  }
  std::vector<Apdu> sent;

 private:
  std::vector<ResponseApdu> answers_;
  std::size_t next_ = 0;
};

// The CardError that `f` throws; a test failure (and a default error) when it throws none.
template <class F>
CardError cardErrorOf(F&& f) {
  try {
    f();
  } catch (const CardError& e) {
    return e;
  }
  ADD_FAILURE() << "no CardError";
  return CardError(CardErrorKind::pcsc, "none");
}

const Apdu verifyPin{0x00, app::ins::verify, 0x00, app::pinReference, {'1', '2', '3', '4'}, {}};
const Apdu sign{0x00, app::ins::performSecurityOperation, 0x9E, 0x9A, Bytes(32, 0xAB), maxShortLe};
const Apdu generateAc{app::claEmv, app::ins::generateAc, app::cryptogramArqc, 0x00, Bytes(29, 0), maxShortLe};

TEST(ResendRule, WrongLeGetsAReadSentAgainWithTheCardsLength) {
  ScriptedCard card({ResponseApdu{{}, 0x6C0A}, ResponseApdu{Bytes(10, 0x5A), sw::ok}});
  const ResponseApdu r = card.transmit(Apdu{0x00, app::ins::getData, 0x00, 0x5A, {}, maxShortLe});
  EXPECT_EQ(r.sw, sw::ok);
  EXPECT_EQ(r.data.size(), 10u);
  ASSERT_EQ(card.sent.size(), 2u);
  EXPECT_EQ(card.sent[1].le, 10u);
  EXPECT_EQ(card.sent[1].ins, app::ins::getData);
}

TEST(ResendRule, APinOrASignatureRequestIsNeverSentTwice) {
  for (const Apdu& command : {verifyPin, sign, generateAc}) {
    SCOPED_TRACE(protocol::hex(Bytes{command.ins}));
    ScriptedCard card({ResponseApdu{{}, 0x6C04}, ResponseApdu{{}, sw::ok}});
    const CardError e = cardErrorOf([&] { card.transmit(command); });
    EXPECT_EQ(e.kind(), CardErrorKind::resendRefused) << e.what();
    EXPECT_EQ(e.sw(), 0x6C04);
    EXPECT_EQ(card.sent.size(), 1u) << "the command went to the card again";
    EXPECT_EQ(std::string(e.what()).find("31323334"), std::string::npos) << "PIN in the error";
  }
}

TEST(ResendRule, CoversEveryPinAndSignatureInstruction) {
  for (const std::uint8_t ins : std::initializer_list<std::uint8_t>{0x20, 0x21, 0x24, 0x2C, 0x2A, 0x88, 0xAE})
    EXPECT_TRUE(mustNotResend(Apdu{0x00, ins, 0, 0, {}, {}})) << int{ins};
  for (const std::uint8_t ins : {app::ins::select, app::ins::readBinary, app::ins::getData, app::ins::getResponse})
    EXPECT_FALSE(mustNotResend(Apdu{0x00, ins, 0, 0, {}, {}})) << int{ins};
}

TEST(ResendRule, GetResponseChainingIsStillFollowed) {
  ScriptedCard card({ResponseApdu{{}, 0x6102}, ResponseApdu{{0x01, 0x02}, 0x6101}, ResponseApdu{{0x03}, sw::ok}});
  const ResponseApdu r = card.transmit(sign);  // a PSO answered in pieces is not a re-send
  EXPECT_EQ(r.sw, sw::ok);
  EXPECT_EQ(r.data, (Bytes{0x01, 0x02, 0x03}));
  ASSERT_EQ(card.sent.size(), 3u);
  EXPECT_EQ(card.sent[1].ins, app::ins::getResponse);
  EXPECT_EQ(card.sent[1].le, 2u);
}

class CardInProcess : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = std::make_unique<test::CardDirectory>(test::KeyKind::ecP256); }
  static void TearDownTestSuite() { dir_.reset(); }
  static std::unique_ptr<test::CardDirectory> dir_;

  static Bytes digest() { return Bytes(32, 0x42); }
};
std::unique_ptr<test::CardDirectory> CardInProcess::dir_;

TEST_F(CardInProcess, ReadsIdentityAndSignsThroughTheClient) {
  VirtualCard applet(loadCardDirectory(dir_->path()));
  DirectCard direct(applet);
  PaymentCard card(direct, 256);
  CardSigner signer(card, [] { return std::string("1234"); });
  const CardIdentity id = card.readIdentity();
  EXPECT_EQ(id.pan, "4111111111111111");
  EXPECT_EQ(id.expiry, "202812");
  EXPECT_EQ(id.name, "ALICE CARDHOLDER");
  const Bytes sig = signer.signDigest(EVP_sha256(), digest());
  EXPECT_TRUE(protocol::verifyDigestSignature(X509_get0_pubkey(signer.certificate()), EVP_sha256(), digest(), sig));
}

TEST_F(CardInProcess, ThreeWrongPinsBlockTheCard) {
  VirtualCard applet(loadCardDirectory(dir_->path()));
  DirectCard direct(applet);
  PaymentCard card(direct);
  card.select();
  const auto swOf = [](auto&& f) { return cardErrorOf(f).sw(); };
  EXPECT_EQ(swOf([&] { card.verifyPin(""); }), sw::verifyFailed(3));  // an empty VERIFY asks for the counter
  EXPECT_EQ(swOf([&] { card.verifyPin("0000"); }), 0x63C2);
  EXPECT_EQ(swOf([&] { card.verifyPin("9999"); }), 0x63C1);
  EXPECT_EQ(card.pinTriesLeft(), 1u);
  EXPECT_EQ(swOf([&] { card.verifyPin("1111"); }), sw::authenticationBlocked);
  EXPECT_EQ(applet.pinTriesLeft(), 0u);
  // Blocked: the right PIN no longer opens it, and nothing is signed.
  EXPECT_EQ(swOf([&] { card.verifyPin("1234"); }), sw::authenticationBlocked);
  EXPECT_EQ(swOf([&] { card.computeDigitalSignature(digest()); }), sw::securityStatusNotSatisfied);
  EXPECT_EQ(swOf([&] { card.readPanSecret(); }), sw::securityStatusNotSatisfied);
  // The counter is non-volatile: a power cycle does not unblock.
  applet.powerEvent();
  card.select();
  EXPECT_EQ(swOf([&] { card.verifyPin("1234"); }), sw::authenticationBlocked);
}

TEST_F(CardInProcess, ACardAskingToResendVerifyOrPsoGetsNeither) {
  VirtualCard applet(loadCardDirectory(dir_->path()), VirtualCardOptions{.askToResendPinAndSignature = true});
  std::ostringstream trace;
  DirectCard direct(applet, &trace);
  PaymentCard card(direct);
  card.select();
  const std::size_t before = direct.commandsServed();
  const CardError verify = cardErrorOf([&] { card.verifyPin("1234"); });
  EXPECT_EQ(verify.kind(), CardErrorKind::resendRefused) << verify.what();
  EXPECT_EQ(direct.commandsServed(), before + 1);
  EXPECT_EQ(applet.pinTriesLeft(), 3u);
  const CardError pso = cardErrorOf([&] { card.computeDigitalSignature(digest()); });
  EXPECT_EQ(pso.kind(), CardErrorKind::resendRefused) << pso.what();
  EXPECT_EQ(direct.commandsServed(), before + 2);
  // Through CardSigner too: one VERIFY, then a refusal, no second attempt.
  CardSigner signer(card, [] { return std::string("1234"); });
  const std::size_t beforeSign = direct.commandsServed();
  EXPECT_EQ(cardErrorOf([&] { signer.signDigest(EVP_sha256(), digest()); }).kind(), CardErrorKind::resendRefused);
  EXPECT_EQ(direct.commandsServed(), beforeSign + 1);
  EXPECT_EQ(trace.str().find("31323334"), std::string::npos) << "PIN in the trace: " << trace.str();
}

TEST_F(CardInProcess, WrongLeAndChainingHandledForReads) {
  VirtualCard strict(loadCardDirectory(dir_->path()), VirtualCardOptions{.strictLe = true});
  DirectCard direct(strict);
  PaymentCard card(direct, 256);
  card.select();
  const std::size_t before = direct.commandsServed();
  EXPECT_EQ(card.readPan(), "4111111111111111");
  EXPECT_EQ(direct.commandsServed(), before + 2);  // 6C0A, then the same GET DATA with Le 10
  const auto fromDir = loadCardDirectory(dir_->path());
  EXPECT_EQ(card.readCertificate(), protocol::ossl::der(fromDir.certificate.get()));

  VirtualCard chained(loadCardDirectory(dir_->path()), VirtualCardOptions{.chainResponses = true});
  DirectCard chainedDirect(chained);
  PaymentCard chainedCard(chainedDirect, 256);
  EXPECT_EQ(chainedCard.select().keyAlgorithm, app::keyEcP256);
  EXPECT_EQ(chainedCard.readCertificate(), protocol::ossl::der(fromDir.certificate.get()));
}

}  // namespace
}  // namespace setpay::pcsc
