// The mobile codec is as strict as the SET one: DER only, no trailing bytes, no truncation, size
// limits, field limits and versions checked even under a valid signature (signContentDer signs
// whatever content it is given, as a compromised peer would).
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

class MobileStrictness : public testing::Test {
 protected:
  ossl::PKey key = ecKey();
  SignatureRequest d = sampleD(key.get());
  Bytes contentDer = encodeContent(d);
  Bytes der = signContentDer(contentDer, key.get());
  // Content changed byte for byte, then signed: only the codec can refuse it.
  ErrorCode codeOfSigned(const Bytes& content) {
    return codeOf([&] { (void)open(signContentDer(content, key.get()), key.get()); });
  }
};

TEST_F(MobileStrictness, TrailingBytesAndTruncation) {
  Bytes trailing = der;
  trailing.push_back(0x00);
  EXPECT_EQ(codeOf([&] { (void)open(trailing, key.get()); }), ErrorCode::decodingFailure);
  for (std::size_t cut : {std::size_t{1}, std::size_t{2}, der.size() / 2, der.size() - 1}) {
    const Bytes truncated(der.begin(), der.begin() + static_cast<std::ptrdiff_t>(cut));
    EXPECT_EQ(codeOf([&] { (void)open(truncated, key.get()); }), ErrorCode::decodingFailure) << "cut at " << cut;
  }
  EXPECT_EQ(codeOf([&] { (void)open(Bytes{}, key.get()); }), ErrorCode::decodingFailure);
}

TEST_F(MobileStrictness, NonMinimalLengthIsNotDer) {
  ASSERT_EQ(der[1], 0x82);  // SEQUENCE with a two-byte length: re-encode it with three
  Bytes ber{0x30, 0x83, 0x00, der[2], der[3]};
  ber.insert(ber.end(), der.begin() + 4, der.end());
  EXPECT_EQ(codeOf([&] { (void)open(ber, key.get()); }), ErrorCode::decodingFailure);
}

TEST_F(MobileStrictness, SizeLimitComesFirst) {
  Bytes huge(limits::message + 1, 0x00);
  huge[0] = 0x30;
  EXPECT_EQ(codeOf([&] { (void)open(huge, key.get()); }), ErrorCode::messageTooBig);
  SignatureRequest big = d;
  big.od.assign(protocol::limits::odMax + 1, 'x');
  EXPECT_EQ(codeOf([&] { (void)encodeContent(big); }), ErrorCode::decodingFailure);
}

TEST_F(MobileStrictness, VersionIsChecked) {
  const Bytes v1{0x02, 0x01, 0x01, 0x04, 0x14};  // Binding: version 1, then xid OCTET STRING (20)
  EXPECT_EQ(codeOfSigned(patched(contentDer, v1, Bytes{0x02, 0x01, 0x02, 0x04, 0x14})), ErrorCode::versionTooNew);
  EXPECT_EQ(codeOfSigned(patched(contentDer, v1, Bytes{0x02, 0x01, 0x00, 0x04, 0x14})), ErrorCode::versionTooOld);
}

TEST_F(MobileStrictness, FieldLimitsHoldUnderAValidSignature) {
  // mode ENUMERATED 0 → 7: no such mode.
  EXPECT_EQ(codeOfSigned(patched(contentDer, Bytes{0x0a, 0x01, 0x00}, Bytes{0x0a, 0x01, 0x07})), ErrorCode::decodingFailure);
  // BIN with a letter; profile name unknown.
  EXPECT_EQ(codeOfSigned(patched(contentDer, toBytes("497010"), toBytes("49701A"))), ErrorCode::decodingFailure);
  EXPECT_EQ(codeOfSigned(patched(contentDer, toBytes("modern"), toBytes("mod3rn"))), ErrorCode::decodingFailure);
  // BrandID with a control character.
  EXPECT_EQ(codeOfSigned(patched(contentDer, toBytes("SETPAY:Gold"), toBytes("SETPAY:Go\nd"))), ErrorCode::decodingFailure);
  // Encoding refuses what decoding would: a 19-octet XID, a 15-octet nonce, a bad amount.
  SignatureRequest bad = d;
  bad.binding.xid.pop_back();
  EXPECT_EQ(codeOf([&] { (void)encodeContent(bad); }), ErrorCode::decodingFailure);
  bad = d;
  bad.binding.purchaseNonce.resize(15);
  EXPECT_EQ(codeOf([&] { (void)encodeContent(bad); }), ErrorCode::decodingFailure);
  bad = d;
  bad.purchAmt.currency = 0;
  EXPECT_EQ(codeOf([&] { (void)encodeContent(bad); }), ErrorCode::decodingFailure);
}

TEST_F(MobileStrictness, ConfirmationTextIsDisplaySafe) {
  const PurchaseConfirmation f = sampleF(d.binding);
  const Bytes fContent = encodeContent(f);
  // "Librairie Générale": a control character instead of the 'L' → refused.
  EXPECT_EQ(codeOfSigned(patched(fContent, toBytes("Librairie"), toBytes("\x07ibrairie"))), ErrorCode::decodingFailure);
  // A broken UTF-8 sequence (é = C3 A9 → C3 41) → refused.
  EXPECT_EQ(codeOfSigned(patched(fContent, Bytes{0xc3, 0xa9}, Bytes{0xc3, 0x41})), ErrorCode::decodingFailure);
  PurchaseConfirmation bad = f;
  bad.detail = std::string(limits::detailMax + 1, 'x');
  EXPECT_EQ(codeOf([&] { (void)encodeContent(bad); }), ErrorCode::decodingFailure);
  bad = f;
  bad.merchantName.clear();
  EXPECT_EQ(codeOf([&] { (void)encodeContent(bad); }), ErrorCode::decodingFailure);
}

TEST_F(MobileStrictness, EmbeddedSetValuesAreDecodedStrictly) {
  // CardData's PANData with a PAN holding a letter, under a valid signature.
  const SignatureResponse e = sampleCardDataE(d.binding, der);
  const Bytes eContent = encodeContent(e);
  EXPECT_EQ(codeOfSigned(patched(eContent, toBytes("4970100000000014"), toBytes("497010000000001X"))),
            ErrorCode::decodingFailure);
  // The refusal's tries left beyond 15.
  SignatureResponse refusal = sampleRefusalE(d.binding, der);
  std::get<Refusal>(refusal.answer).pinTriesLeft = 16;
  EXPECT_EQ(codeOf([&] { (void)encodeContent(refusal); }), ErrorCode::decodingFailure);
}

}  // namespace
}  // namespace setpay::protocol::mobile::test
