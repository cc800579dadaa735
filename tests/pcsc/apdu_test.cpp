// APDU encoding, TLV and the card application's rules, without a reader (fast unit tests).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "pcsc/apdu.hpp"
#include "pcsc/card_application.hpp"
#include "pcsc/card_error.hpp"
#include "pcsc/card_signer.hpp"
#include "pcsc/reader.hpp"
#include "pcsc/tlv.hpp"
#include "pcsc/virtual_card.hpp"
#include "tests/pcsc/card_support.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::pcsc {
namespace {

using protocol::hex;
using protocol::unhex;

TEST(Apdu, EncodesAllFourCasesShortAndExtended) {
  EXPECT_EQ(hex(Apdu{0x00, 0xA4, 0x04, 0x00, {}, {}}.encode()), "00a40400");
  EXPECT_EQ(hex(Apdu{0x00, 0xCA, 0x00, 0x5A, {}, 256}.encode()), "00ca005a00");
  EXPECT_EQ(hex(Apdu{0x00, 0x20, 0x00, 0x81, {0x31, 0x32}, {}}.encode()), "00200081023132");
  EXPECT_EQ(hex(Apdu{0x00, 0x2A, 0x9E, 0x9A, {0xAA}, 256}.encode()), "002a9e9a01aa00");
  EXPECT_EQ(hex(Apdu{0x00, 0xB0, 0x00, 0x00, {}, 65536}.encode()), "00b00000000000");
  EXPECT_EQ(hex(Apdu{0x00, 0xB0, 0x01, 0x00, {}, 4096}.encode()), "00b00100001000");
  const Apdu big{0x00, 0x2A, 0x9E, 0x9A, Bytes(300, 0x11), 256};
  const Bytes enc = big.encode();
  EXPECT_EQ(hex(ByteView(enc).first(7)), "002a9e9a00012c");
  EXPECT_EQ(hex(ByteView(enc).last(2)), "0100");
  EXPECT_EQ(enc.size(), 4u + 3 + 300 + 2);
  EXPECT_EQ(test_support::thrownMessage<CardError>([] { Apdu{0, 0, 0, 0, {}, 0}.encode(); }), "protocol: Le out of range");
  EXPECT_EQ(test_support::thrownMessage<CardError>([] { Apdu{0, 0, 0, 0, Bytes(65536), {}}.encode(); }),
            "protocol: command data too long");
}

TEST(Apdu, ParseIsTheInverseAndRejectsBadLengths) {
  for (const Apdu& a : {Apdu{0x00, 0xA4, 0x04, 0x00, {}, {}}, Apdu{0x00, 0xCA, 0x5F, 0x24, {}, 256},
                        Apdu{0x00, 0x20, 0x00, 0x81, {1, 2, 3, 4}, {}}, Apdu{0x00, 0x2A, 0x9E, 0x9A, {9}, 17},
                        Apdu{0x00, 0xB0, 0x00, 0x00, {}, 65536}, Apdu{0x00, 0x2A, 0x9E, 0x9A, Bytes(300, 7), 4096},
                        Apdu{0x00, 0xD6, 0x00, 0x00, Bytes(1000, 1), {}}}) {
    const auto p = Apdu::parse(a.encode());
    ASSERT_TRUE(p);
    EXPECT_EQ(p->encode(), a.encode());
    EXPECT_EQ(p->data, a.data);
    EXPECT_EQ(p->le, a.le);
  }
  EXPECT_FALSE(Apdu::parse(unhex("00a4")));
  EXPECT_FALSE(Apdu::parse(unhex("00a4040005a000")));    // Lc 5, 1 byte
  EXPECT_TRUE(Apdu::parse(unhex("00a40400000000")));     // case 2E, Le 65536
  EXPECT_FALSE(Apdu::parse(unhex("00a4040000000001")));  // extended Lc 0
  EXPECT_FALSE(Apdu::parse(unhex("00a4040000000201")));  // extended Lc 2, 1 byte
  EXPECT_FALSE(Apdu::parse(unhex("00a404000084")));      // extended marker, one byte after (fuzz: read past end)
}

TEST(Tlv, RoundTripsAndRejectsTruncation) {
  const Bytes t = tlv(0x5F20, Bytes(200, 'A'));
  EXPECT_EQ(hex(ByteView(t).first(4)), "5f2081c8");
  EXPECT_EQ(tlvValue(t, 0x5F20), Bytes(200, 'A'));
  EXPECT_FALSE(tlvValue(t, 0x5A));
  EXPECT_FALSE(tlvValue(ByteView(t).first(t.size() - 1), 0x5F20));
  EXPECT_EQ(hex(ByteView(tlv(0x5A, Bytes(300, 0))).first(4)), "5a82012c");
}

class Applet : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = std::make_unique<test::CardDirectory>(test::KeyKind::ecP256); }
  static void TearDownTestSuite() { dir_.reset(); }
  static std::unique_ptr<test::CardDirectory> dir_;
  std::uint16_t run(VirtualCard& card, const std::string& apduHex) { return card.process(unhex(apduHex)).sw; }
};
std::unique_ptr<test::CardDirectory> Applet::dir_;

TEST_F(Applet, StatusWordsForBadCommands) {
  VirtualCard card(loadCardDirectory(dir_->path()));
  EXPECT_EQ(run(card, "00ca005a00"), sw::conditionsNotSatisfied);  // nothing selected
  EXPECT_EQ(run(card, "00a4040006a00000099901"), sw::fileNotFound);
  EXPECT_EQ(run(card, "00a4040c09a00000099953455401"), sw::ok);
  EXPECT_EQ(run(card, "80b0000010"), sw::claNotSupported);  // CLA 80 only for GET DATA / GENERATE AC
  EXPECT_EQ(run(card, "00ae80001d" + std::string(58, '0') + "00"), sw::claNotSupported);
  EXPECT_EQ(run(card, "80ae80001d" + std::string(58, '0') + "00"), 0x6A81);  // no AC key personalised
  EXPECT_EQ(run(card, "00ee000000"), sw::insNotSupported);
  EXPECT_EQ(run(card, "00ca9f4f00"), sw::referencedDataNotFound);  // log format: not on this card
  EXPECT_EQ(run(card, "00200082023132"), sw::referencedDataNotFound);
  EXPECT_EQ(run(card, "00200081023132"), sw::wrongLength);  // PIN too short
  EXPECT_EQ(run(card, "00b0000010"), 0x6986);                      // no current EF
  EXPECT_EQ(run(card, "00b0810010"), sw::ok);                      // by SFI
  EXPECT_EQ(run(card, "00b07fff10"), sw::wrongOffset);
  EXPECT_EQ(run(card, "00c0000010"), sw::conditionsNotSatisfied);  // nothing to GET RESPONSE
  EXPECT_EQ(run(card, "00a4"), sw::wrongLength);
  EXPECT_EQ(card.pinTriesLeft(), 3u);
}

TEST_F(Applet, PowerEventClearsPinButNotTheCounter) {
  VirtualCard card(loadCardDirectory(dir_->path()));
  EXPECT_EQ(run(card, "00a4040c09a00000099953455401"), sw::ok);
  EXPECT_EQ(run(card, "002000810430303030"), 0x63C2);
  EXPECT_EQ(run(card, "002000810431323334"), sw::ok);
  EXPECT_EQ(card.pinTriesLeft(), 3u);  // a good PIN resets the counter
  EXPECT_EQ(run(card, "00200081"), sw::ok);  // already verified
  card.powerEvent();
  EXPECT_EQ(run(card, "00ca005a00"), sw::conditionsNotSatisfied);
  EXPECT_EQ(run(card, "00a4040c09a00000099953455401"), sw::ok);
  EXPECT_EQ(run(card, "00200081"), 0x63C3);
}

TEST_F(Applet, TraceMasksPinPanAndSecret) {
  VirtualCard card(loadCardDirectory(dir_->path()));
  std::string all;
  for (const char* c : {"00a4040c09a00000099953455401", "00ca005a00", "002000810431323334", "00cadf0100"}) {
    const Bytes cmd = unhex(c);
    all += card.describe(cmd, card.process(cmd)) + "\n";
  }
  EXPECT_EQ(all.find("4111111111111111"), std::string::npos) << all;
  EXPECT_EQ(all.find("31323334"), std::string::npos) << all;
  EXPECT_EQ(all.find("00112233445566778899aabbccddeeff"), std::string::npos) << all;
  EXPECT_NE(all.find("************1111"), std::string::npos) << all;
}

TEST(CardSignerUnit, DigestInfoIsPkcs1Encoding) {
  // RFC 8017 §9.2 note 1: the SHA-256 DigestInfo prefix.
  const Bytes di = digestInfo(EVP_sha256(), Bytes(32, 0xAB));
  EXPECT_EQ(hex(ByteView(di).first(19)), "3031300d060960864801650304020105000420");
  EXPECT_EQ(test_support::thrownMessage<CardError>([] { digestInfo(EVP_sha256(), Bytes(20, 0)); }),
            "protocol: digest length does not match its algorithm");
}

TEST(CardErrorUnit, PcscCodesBecomeKinds) {
  const auto kindOf = [](long rv) {
    try {
      failPcsc(rv, "x");
    } catch (const CardError& e) {
      EXPECT_EQ(e.pcscCode(), rv);
      return e.kind();
    }
    return CardErrorKind::protocol;
  };
  EXPECT_EQ(kindOf(SCARD_E_NO_SERVICE), CardErrorKind::noService);
  EXPECT_EQ(kindOf(SCARD_E_NO_READERS_AVAILABLE), CardErrorKind::noReader);
  EXPECT_EQ(kindOf(SCARD_E_READER_UNAVAILABLE), CardErrorKind::readerUnavailable);
  EXPECT_EQ(kindOf(SCARD_E_TIMEOUT), CardErrorKind::timeout);
  EXPECT_EQ(kindOf(SCARD_W_REMOVED_CARD), CardErrorKind::cardRemoved);
  EXPECT_EQ(kindOf(SCARD_E_NOT_TRANSACTED), CardErrorKind::pcsc);
  const CardError sw(CardErrorKind::statusWord, "VERIFY", 0x63C1);
  EXPECT_NE(std::string(sw.what()).find("63C1"), std::string::npos);
}

TEST(ContextUnit, NoPcscdIsNoService) {
  // libpcsclite caches the socket name per process: re-exec ("threadsafe") so the child reads ours.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("PCSCLITE_CSOCK_NAME", "/nonexistent/setpay/pcscd.comm", 1);
        try {
          const Context ctx;
        } catch (const CardError& e) {
          std::exit(e.kind() == CardErrorKind::noService ? 0 : 3);
        }
        std::exit(4);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(CardPersonalisationUnit, RejectsMismatchedKey) {
  test::CardDirectory a(test::KeyKind::ecP256), b(test::KeyKind::ecP256);
  std::filesystem::copy_file(b.path() + "/key.pem", a.path() + "/key.pem",
                             std::filesystem::copy_options::overwrite_existing);
  try {
    loadCardDirectory(a.path());
    FAIL() << "mismatched key accepted";
  } catch (const CardError& e) {
    EXPECT_EQ(e.kind(), CardErrorKind::protocol);
    EXPECT_NE(std::string(e.what()).find("does not match"), std::string::npos);
  }
}

}  // namespace
}  // namespace setpay::pcsc
