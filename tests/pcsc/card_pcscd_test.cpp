// The payment card application end to end through the real pcscd + vpcd (with-virtual-pcsc.sh):
// our PC/SC wrappers and card client on one side, the virtual card in a vpcd slot on the other.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <sstream>
#include <vector>

#include "pcsc/card_application.hpp"
#include "pcsc/card_error.hpp"
#include "pcsc/card_signer.hpp"
#include "pcsc/emv_cryptogram.hpp"
#include "pcsc/payment_card.hpp"
#include "protocol/openssl.hpp"
#include "tests/pcsc/card_support.hpp"

namespace setpay::pcsc {
namespace {

using test::CardDirectory;
using test::InsertedCard;
using test::KeyKind;
namespace ossl = protocol::ossl;

// The SW of the CardError that `f` throws (0 when it throws none or another kind).
template <class F>
std::uint16_t statusWordOf(F&& f) {
  try {
    f();
  } catch (const CardError& e) {
    if (e.kind() == CardErrorKind::statusWord) return e.sw();
    ADD_FAILURE() << "unexpected " << e.what();
  }
  return 0;
}

Bytes sha(const EVP_MD* md, const std::string& msg) {
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(msg.data(), msg.size(), out.data(), &len, md, nullptr), 1);
  return out;
}

// EVP_PKEY_verify with the certificate's public key: RSA PKCS#1 v1.5 over DigestInfo(md), or ECDSA.
bool verifies(const X509* cert, const EVP_MD* md, ByteView digest, ByteView sig) {
  EVP_PKEY* pub = X509_get0_pubkey(cert);
  ossl::PKeyCtx ctx(EVP_PKEY_CTX_new(pub, nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1) return false;
  if (EVP_PKEY_get_base_id(pub) == EVP_PKEY_RSA) {
    EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING);
    EVP_PKEY_CTX_set_signature_md(ctx.get(), md);
  }
  return EVP_PKEY_verify(ctx.get(), sig.data(), sig.size(), digest.data(), digest.size()) == 1;
}

class CardThroughPcscd : public ::testing::Test {
 protected:
  // Keys are made once per suite: RSA-2048 generation is the slow part.
  static void SetUpTestSuite() {
    rsaDir_ = std::make_unique<CardDirectory>(KeyKind::rsa2048, test::CardFields{.profile = "set1"});
    ecDir_ = std::make_unique<CardDirectory>(KeyKind::ecP256);
  }
  static void TearDownTestSuite() {
    rsaDir_.reset();
    ecDir_.reset();
  }
  static std::unique_ptr<CardDirectory> rsaDir_;
  static std::unique_ptr<CardDirectory> ecDir_;
};
std::unique_ptr<CardDirectory> CardThroughPcscd::rsaDir_;
std::unique_ptr<CardDirectory> CardThroughPcscd::ecDir_;

TEST_F(CardThroughPcscd, ReadersListedAndWaitTimesOutOnEmptySlot) {
  REQUIRE_VIRTUAL_PCSC();
  const Context ctx;
  const auto readers = ctx.readers();
  EXPECT_NE(std::find(readers.begin(), readers.end(), env->reader0), readers.end());
  EXPECT_NE(std::find(readers.begin(), readers.end(), env->reader1), readers.end());
  try {
    ctx.waitForCard(env->reader0, std::chrono::milliseconds(300));
    FAIL() << "no card is inserted, yet waitForCard returned";
  } catch (const CardError& e) {
    EXPECT_EQ(e.kind(), CardErrorKind::timeout);
  }
  try {
    ctx.waitForCard("No Such Reader 00 00", std::chrono::milliseconds(300));
    FAIL() << "unknown reader accepted";
  } catch (const CardError& e) {
    EXPECT_EQ(e.kind(), CardErrorKind::noReader);
  }
}

TEST_F(CardThroughPcscd, ReadsPanExpiryNameAndCertificate) {
  REQUIRE_VIRTUAL_PCSC();
  InsertedCard inserted(ecDir_->path(), env->port0, env->reader0);
  const Context ctx;
  inserted.waitPresent(ctx);
  CardConnection conn(ctx, env->reader0);
  EXPECT_EQ(conn.atr(), Bytes(app::atr.begin(), app::atr.end()));
  PaymentCard card(conn);
  const ApplicationInfo info = card.select();
  EXPECT_EQ(info.keyAlgorithm, app::keyEcP256);
  EXPECT_EQ(info.profile, "modern");
  const CardIdentity id = card.readIdentity();
  EXPECT_EQ(id.pan, "4111111111111111");
  EXPECT_EQ(id.expiry, "202812");
  EXPECT_EQ(id.name, "ALICE CARDHOLDER");
  const auto fromDir = loadCardDirectory(ecDir_->path());
  EXPECT_EQ(id.certificate, ossl::der(fromDir.certificate.get()));
  EXPECT_EQ(card.pinTriesLeft(), 3u);
  // The PAN secret needs the PIN.
  EXPECT_EQ(statusWordOf([&] { card.readPanSecret(); }), sw::securityStatusNotSatisfied);
  card.verifyPin("1234");
  EXPECT_EQ(protocol::hex(card.readPanSecret()), "00112233445566778899aabbccddeeff");
  // The card's own trace never shows the PAN.
  inserted.stop();
  EXPECT_EQ(inserted.trace().find("4111111111111111"), std::string::npos);
  EXPECT_NE(inserted.trace().find("************1111"), std::string::npos);
}

TEST_F(CardThroughPcscd, RsaSignatureVerifiesWithCertificateKey) {
  REQUIRE_VIRTUAL_PCSC();
  InsertedCard inserted(rsaDir_->path(), env->port0, env->reader0);
  const Context ctx;
  inserted.waitPresent(ctx);
  CardConnection conn(ctx, env->reader0);
  PaymentCard card(conn);
  CardSigner signer(card, [] { return std::string("1234"); });
  ASSERT_NE(signer.certificate(), nullptr);
  for (const EVP_MD* md : {EVP_sha1(), EVP_sha256()}) {
    const Bytes digest = sha(md, "PI-TBS");
    const Bytes sig = signer.signDigest(md, digest);
    EXPECT_EQ(sig.size(), 256u);
    EXPECT_TRUE(verifies(signer.certificate(), md, digest, sig));
    Bytes other = digest;
    other[0] ^= 1;
    EXPECT_FALSE(verifies(signer.certificate(), md, other, sig));
  }
  // A body that is not a DigestInfo is refused (the card pads only what it can vouch for).
  card.verifyPin("1234");
  EXPECT_EQ(statusWordOf([&] { card.computeDigitalSignature(sha(EVP_sha256(), "x")); }), sw::wrongData);
}

TEST_F(CardThroughPcscd, EcdsaSignatureVerifiesWithCertificateKey) {
  REQUIRE_VIRTUAL_PCSC();
  InsertedCard inserted(ecDir_->path(), env->port0, env->reader0);
  const Context ctx;
  inserted.waitPresent(ctx);
  CardConnection conn(ctx, env->reader0);
  PaymentCard card(conn);
  CardSigner signer(card, [] { return std::string("1234"); });
  const Bytes digest = sha(EVP_sha256(), "PI-TBS");
  const Bytes sig = signer.signDigest(EVP_sha256(), digest);
  EXPECT_EQ(sig[0], 0x30);  // DER ECDSA-Sig-Value
  EXPECT_TRUE(verifies(signer.certificate(), EVP_sha256(), digest, sig));
  Bytes other = digest;
  other[31] ^= 0x80;
  EXPECT_FALSE(verifies(signer.certificate(), EVP_sha256(), other, sig));
}

TEST_F(CardThroughPcscd, SignatureWithoutPinRefusedAndPinGoodForOneSignature) {
  REQUIRE_VIRTUAL_PCSC();
  InsertedCard inserted(ecDir_->path(), env->port0, env->reader0);
  const Context ctx;
  inserted.waitPresent(ctx);
  CardConnection conn(ctx, env->reader0);
  PaymentCard card(conn);
  card.select();
  const Bytes digest = sha(EVP_sha256(), "order");
  EXPECT_EQ(statusWordOf([&] { card.computeDigitalSignature(digest); }), sw::securityStatusNotSatisfied);
  card.verifyPin("1234");
  EXPECT_FALSE(card.computeDigitalSignature(digest).empty());
  EXPECT_EQ(statusWordOf([&] { card.computeDigitalSignature(digest); }), sw::securityStatusNotSatisfied);
  // Re-selecting the application drops a verified PIN too.
  card.verifyPin("1234");
  card.select();
  EXPECT_EQ(statusWordOf([&] { card.computeDigitalSignature(digest); }), sw::securityStatusNotSatisfied);
}

TEST_F(CardThroughPcscd, WrongPinThreeTimesBlocks) {
  REQUIRE_VIRTUAL_PCSC();
  InsertedCard inserted(ecDir_->path(), env->port0, env->reader0);
  const Context ctx;
  inserted.waitPresent(ctx);
  CardConnection conn(ctx, env->reader0);
  PaymentCard card(conn);
  card.select();
  // Empty VERIFY asks for the counter.
  EXPECT_EQ(statusWordOf([&] { card.verifyPin(""); }), sw::verifyFailed(3));
  EXPECT_EQ(statusWordOf([&] { card.verifyPin("0000"); }), 0x63C2);
  EXPECT_EQ(statusWordOf([&] { card.verifyPin("9999"); }), 0x63C1);
  EXPECT_EQ(card.pinTriesLeft(), 1u);
  EXPECT_EQ(statusWordOf([&] { card.verifyPin("1111"); }), sw::authenticationBlocked);
  EXPECT_EQ(statusWordOf([&] { card.verifyPin("1234"); }), sw::authenticationBlocked);
  EXPECT_EQ(statusWordOf([&] { card.verifyPin(""); }), sw::authenticationBlocked);
  EXPECT_EQ(statusWordOf([&] { card.computeDigitalSignature(sha(EVP_sha256(), "x")); }),
            sw::securityStatusNotSatisfied);
  // Blocked survives a card reset (non-volatile counter).
  conn.reset();
  card.select();
  EXPECT_EQ(statusWordOf([&] { card.verifyPin("1234"); }), sw::authenticationBlocked);
  inserted.stop();
  EXPECT_EQ(inserted.card().pinTriesLeft(), 0u);
}

TEST_F(CardThroughPcscd, CardRemovedMidSessionIsTypedError) {
  REQUIRE_VIRTUAL_PCSC();
  VpcdOptions removal;
  removal.removeAfter = 2;  // SELECT, GET DATA PAN, then out of the reader
  InsertedCard inserted(ecDir_->path(), env->port0, env->reader0, {}, removal);
  const Context ctx;
  inserted.waitPresent(ctx);
  CardConnection conn(ctx, env->reader0);
  PaymentCard card(conn);
  card.select();
  EXPECT_EQ(card.readPan(), "4111111111111111");
  try {
    card.readName();
    FAIL() << "the card left, yet the APDU succeeded";
  } catch (const CardError& e) {
    EXPECT_EQ(e.kind(), CardErrorKind::cardRemoved) << e.what();
  }
  inserted.stop();
  EXPECT_EQ(inserted.outcome(), VpcdCard::Outcome::removed);
}

TEST_F(CardThroughPcscd, TwoCardsInTwoSlots) {
  REQUIRE_VIRTUAL_PCSC();
  CardDirectory second(KeyKind::ecP256, test::CardFields{.pan = "5500000000000004", .name = "BOB"});
  InsertedCard a(ecDir_->path(), env->port0, env->reader0);
  InsertedCard b(second.path(), env->port1, env->reader1);
  const Context ctx;
  a.waitPresent(ctx);
  b.waitPresent(ctx);
  CardConnection connA(ctx, env->reader0);
  CardConnection connB(ctx, env->reader1);
  PaymentCard cardA(connA), cardB(connB);
  cardA.select();
  cardB.select();
  EXPECT_EQ(cardA.readPan(), "4111111111111111");
  EXPECT_EQ(cardB.readPan(), "5500000000000004");
  EXPECT_EQ(cardB.readName(), "BOB");
  // Each card signs with its own key.
  CardSigner signerA(cardA, [] { return std::string("1234"); });
  CardSigner signerB(cardB, [] { return std::string("1234"); });
  const Bytes digest = sha(EVP_sha256(), "two cards");
  const Bytes sigB = signerB.signDigest(EVP_sha256(), digest);
  EXPECT_TRUE(verifies(signerB.certificate(), EVP_sha256(), digest, sigB));
  EXPECT_FALSE(verifies(signerA.certificate(), EVP_sha256(), digest, sigB));
}

TEST_F(CardThroughPcscd, GetResponseChainingHandled) {
  REQUIRE_VIRTUAL_PCSC();
  const Bytes mk(16, 0x3C);
  CardDirectory dir(KeyKind::rsa2048, test::CardFields{.profile = "set1", .acKey = protocol::hex(mk)});
  InsertedCard inserted(dir.path(), env->port0, env->reader0, VirtualCardOptions{.chainResponses = true});
  const Context ctx;
  inserted.waitPresent(ctx);
  CardConnection conn(ctx, env->reader0);
  // Raw: the card really answers 61xx and nothing else.
  const ResponseApdu raw = conn.transmitRaw(Apdu{0x00, app::ins::select, 0x04, 0x00,
                                                 Bytes(app::aid.begin(), app::aid.end()), maxShortLe});
  EXPECT_EQ(raw.sw1(), 0x61);
  EXPECT_TRUE(raw.data.empty());
  // Through transmit(): GET RESPONSE is sent for us; a 256-byte RSA signature and an ~800-byte
  // certificate come back in pieces of ≤ 256.
  PaymentCard card(conn, 256);
  CardSigner signer(card, [] { return std::string("1234"); });
  EXPECT_EQ(card.readPan(), "4111111111111111");
  const Bytes digest = sha(EVP_sha256(), "chained");
  const Bytes sig = signer.signDigest(EVP_sha256(), digest);
  EXPECT_EQ(sig.size(), 256u);
  EXPECT_TRUE(verifies(signer.certificate(), EVP_sha256(), digest, sig));
  // GENERATE AC is CLA 80; its GET RESPONSE must still be CLA 00.
  const Bytes cdol1(emv::cdol1Length, 0x01);
  const ApplicationCryptogram ac = card.generateAc(app::cryptogramArqc, cdol1);
  EXPECT_EQ(ac.ac, emv::arqcCvn18(mk, cdol1, app::aipValue, ac.atc, ac.iad));
}

TEST_F(CardThroughPcscd, WrongLeResentWithCardsLength) {
  REQUIRE_VIRTUAL_PCSC();
  InsertedCard inserted(ecDir_->path(), env->port0, env->reader0, VirtualCardOptions{.strictLe = true});
  const Context ctx;
  inserted.waitPresent(ctx);
  CardConnection conn(ctx, env->reader0);
  PaymentCard card(conn, 256);  // short Le: the last certificate chunk draws a 6Cxx
  card.select();
  const Apdu getPan{0x00, app::ins::getData, 0x00, 0x5A, {}, maxShortLe};
  const ResponseApdu raw = conn.transmitRaw(getPan);
  EXPECT_EQ(raw.sw, 0x6C0A);  // 5A 08 <8 BCD bytes>
  const ResponseApdu fixed = conn.transmit(getPan);
  EXPECT_EQ(fixed.sw, sw::ok);
  EXPECT_EQ(fixed.data.size(), 10u);
  const auto fromDir = loadCardDirectory(ecDir_->path());
  EXPECT_EQ(card.readCertificate(), ossl::der(fromDir.certificate.get()));
}

TEST_F(CardThroughPcscd, VerifyAndPsoAreNeverResentOnWrongLe) {
  REQUIRE_VIRTUAL_PCSC();
  InsertedCard inserted(ecDir_->path(), env->port0, env->reader0,
                        VirtualCardOptions{.askToResendPinAndSignature = true});
  const Context ctx;
  inserted.waitPresent(ctx);
  CardConnection conn(ctx, env->reader0);
  PaymentCard card(conn);
  card.select();
  for (const auto& attempt : std::vector<std::function<void()>>{
           [&] { card.verifyPin("1234"); }, [&] { card.computeDigitalSignature(sha(EVP_sha256(), "x")); }}) {
    try {
      attempt();
      ADD_FAILURE() << "a 6Cxx answer was taken as success";
    } catch (const CardError& e) {
      EXPECT_EQ(e.kind(), CardErrorKind::resendRefused) << e.what();
      EXPECT_EQ(e.sw() & 0xFF00, 0x6C00) << e.what();
    }
  }
  inserted.stop();
  // The card saw SELECT, one VERIFY and one PSO: the card's own trace, one "> " line per command.
  const std::string trace = inserted.trace();
  std::size_t commands = 0;
  std::istringstream lines(trace);
  for (std::string line; std::getline(lines, line);) commands += line.starts_with("> ");
  EXPECT_EQ(commands, 3u) << trace;
  EXPECT_NE(trace.find("> 0020008104 <PIN>"), std::string::npos) << trace;
  EXPECT_NE(trace.find("> 002a9e9a"), std::string::npos) << trace;
  EXPECT_EQ(inserted.card().pinTriesLeft(), 3u);
}

TEST_F(CardThroughPcscd, ExtendedLengthBothWays) {
  REQUIRE_VIRTUAL_PCSC();
  InsertedCard inserted(rsaDir_->path(), env->port0, env->reader0);
  const Context ctx;
  inserted.waitPresent(ctx);
  CardConnection conn(ctx, env->reader0);
  PaymentCard card(conn, 4096);
  card.select();
  // Extended Le: the whole certificate (> 256 bytes) in one READ BINARY.
  const Bytes cert = card.readCertificate();
  EXPECT_GT(cert.size(), 256u);
  const auto fromDir = loadCardDirectory(rsaDir_->path());
  EXPECT_EQ(cert, ossl::der(fromDir.certificate.get()));
  // Extended Lc: a 300-byte body reaches the card intact and is judged by it (not a DigestInfo).
  card.verifyPin("1234");
  const Apdu big{0x00, app::ins::performSecurityOperation, 0x9E, 0x9A, Bytes(300, 0x30), maxShortLe};
  ASSERT_TRUE(big.extended());
  EXPECT_EQ(conn.transmit(big).sw, sw::wrongData);
}

TEST_F(CardThroughPcscd, GenerateAcArqcVerifiesAtTheIssuer) {
  REQUIRE_VIRTUAL_PCSC();
  // The issuer derives the card's AC key from its IMK (Option A) and later recomputes the ARQC.
  const Bytes imk = protocol::unhex("0123456789abcdeffedcba9876543210");
  const Bytes mk = emv::deriveIccMasterKey(imk, "4111111111111111", "00");
  CardDirectory dir(KeyKind::ecP256, test::CardFields{.acKey = protocol::hex(mk)});
  InsertedCard inserted(dir.path(), env->port0, env->reader0);
  const Context ctx;
  inserted.waitPresent(ctx);
  CardConnection conn(ctx, env->reader0);
  PaymentCard card(conn);
  card.select();
  const Bytes cdol1 = protocol::unhex("000000004000" "000000000000" "0124" "8000048000" "0124" "191105" "01" "52bf4585");
  const ApplicationCryptogram first = card.generateAc(app::cryptogramTc, cdol1);  // downgraded
  EXPECT_EQ(first.cid, app::cryptogramArqc);
  EXPECT_EQ(first.atc, 1);
  EXPECT_EQ(first.ac, emv::arqcCvn18(mk, cdol1, app::aipValue, first.atc, first.iad));
  const ApplicationCryptogram second = card.generateAc(app::cryptogramArqc, cdol1);
  EXPECT_EQ(second.atc, 2);
  EXPECT_NE(second.ac, first.ac);
  EXPECT_EQ(second.ac, emv::arqcCvn18(mk, cdol1, app::aipValue, second.atc, second.iad));
  // Another IMK does not reproduce it; an AAC request gets an AAC.
  const Bytes otherMk = emv::deriveIccMasterKey(protocol::unhex("00112233445566778899aabbccddeeff"),
                                                "4111111111111111", "00");
  EXPECT_NE(second.ac, emv::arqcCvn18(otherMk, cdol1, app::aipValue, second.atc, second.iad));
  EXPECT_EQ(card.generateAc(app::cryptogramAac, cdol1).cid, app::cryptogramAac);
  EXPECT_EQ(statusWordOf([&] { card.generateAc(app::cryptogramArqc, ByteView(cdol1).first(28)); }), sw::wrongLength);
}

TEST_F(CardThroughPcscd, GenerateAcUnsupportedWithoutKey) {
  REQUIRE_VIRTUAL_PCSC();
  InsertedCard inserted(ecDir_->path(), env->port0, env->reader0);
  const Context ctx;
  inserted.waitPresent(ctx);
  CardConnection conn(ctx, env->reader0);
  PaymentCard card(conn);
  card.select();
  EXPECT_EQ(statusWordOf([&] { card.generateAc(app::cryptogramArqc, Bytes(emv::cdol1Length, 0)); }), 0x6A81);
}

}  // namespace
}  // namespace setpay::pcsc
