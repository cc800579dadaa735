// Typed values <-> strict DER: round trips for every plain structure, and each field-level or
// header-level violation mapped to its SET ErrorCode.
#include <gtest/gtest.h>

#include "protocol/crypto/digest.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/hardening.hpp"
#include "tests/protocol/messages/code_of.hpp"
#include "tests/protocol/messages/samples.hpp"

namespace setpay::protocol {
namespace {

class Codec : public ::testing::Test {
 protected:
  AlgorithmProfile prof = AlgorithmProfile::make(ProfileId::modern);
  SeededRandom rng{"codec-test"};
};

template <class T>
void expectRoundTrip(const T& v) {
  const Bytes der = encode(v);
  EXPECT_EQ(decode<T>(der), v);
  EXPECT_EQ(encode(decode<T>(der)), der);
}

TEST_F(Codec, PlainStructuresRoundTrip) {
  const HODInput hod = samples::hodInput(rng);
  const OIData oi = samples::oiData(prof, rng, hod);
  const PIHead head = samples::piHead(prof, rng, oi, hod);
  const PANData pan = samples::panData(rng);
  expectRoundTrip(samples::pInitReq(rng));
  expectRoundTrip(samples::pInitResData(prof, rng));
  expectRoundTrip(hod);
  expectRoundTrip(oi);
  expectRoundTrip(head);
  expectRoundTrip(pan);
  expectRoundTrip(samples::panToken(pan));
  expectRoundTrip(PIData{head, pan});
  expectRoundTrip(PI_OILink{head, DD(prof, encode(oi))});
  const AuthReqData ard = samples::authReqData(prof, rng, oi, hod);
  expectRoundTrip(ard);
  expectRoundTrip(samples::authResData(rng, ard));
  expectRoundTrip(samples::pResData(rng, oi.transIDs));
  expectRoundTrip(samples::inqReqData(rng, oi.transIDs));
  expectRoundTrip(samples::capTokenData(rng));
  expectRoundTrip(samples::authTokenData(rng, oi.transIDs));
  const CapReqData crd = samples::capReqData(rng, oi.transIDs);
  expectRoundTrip(crd);
  expectRoundTrip(samples::capResData(rng, crd));
  expectRoundTrip(CapTokenSeq{{CapToken{CapToken::Kind::null, {}}, CapToken{CapToken::Kind::enc, DD(prof, toBytes("x"))}}});
  expectRoundTrip(samples::errorTBS(rng, samples::header(rng)));
  AuthResBaggage bag;
  bag.capToken = CapToken{CapToken::Kind::null, {}};
  bag.authToken = AuthToken{DD(prof, toBytes("token stand-in"))};
  expectRoundTrip(bag);
}

TEST_F(Codec, WrapperRoundTripsEveryPlainMessage) {
  const PInitReq req = samples::pInitReq(rng);
  MessageWrapper w{samples::header(rng), req, {}};
  w.messageHeader.rrpid = req.rrpid;
  expectRoundTrip(w);
  w.message = Error{samples::errorTBS(rng, w.messageHeader)};
  expectRoundTrip(w);
  w.message = AuthRes{true, DD(prof, toBytes("opaque EncBX stand-in"))};
  expectRoundTrip(w);
  w.message = CapReq{false, DD(prof, toBytes("opaque EncB stand-in"))};
  expectRoundTrip(w);
}

TEST_F(Codec, ErrorTagIs999Explicit) {
  MessageWrapper w{samples::header(rng), Error{samples::errorTBS(rng, samples::header(rng))}, {}};
  const std::string h = hex(encode(w));
  EXPECT_NE(h.find("a0"), std::string::npos);
  EXPECT_NE(h.find("bf8767"), std::string::npos);  // [999] constructed context tag: 0xbf 0x87 0x67
}

TEST_F(Codec, FieldLimitsAreEnforcedOnEncodeAndDecode) {
  PInitReq r = samples::pInitReq(rng);
  r.rrpid.pop_back();  // 19 octets
  EXPECT_EQ(codeOf([&] { encode(r); }), ErrorCode::decodingFailure);
  r = samples::pInitReq(rng);
  r.bin = "41111A";
  EXPECT_EQ(codeOf([&] { encode(r); }), ErrorCode::decodingFailure);
  r = samples::pInitReq(rng);
  r.brandID = "Visa:";
  EXPECT_EQ(codeOf([&] { encode(r); }), ErrorCode::decodingFailure);
  r = samples::pInitReq(rng);
  r.localIDC = Bytes(21, 'x');
  EXPECT_EQ(codeOf([&] { encode(r); }), ErrorCode::decodingFailure);
  PANData p = samples::panData(rng);
  p.pan = "41111111111111111111";  // 20 digits
  EXPECT_EQ(codeOf([&] { encode(p); }), ErrorCode::decodingFailure);
  p = samples::panData(rng);
  p.cardExpiry = "202813";
  EXPECT_EQ(codeOf([&] { encode(p); }), ErrorCode::decodingFailure);
  HODInput h = samples::hodInput(rng);
  h.purchAmt.currency = 1000;
  EXPECT_EQ(codeOf([&] { encode(h); }), ErrorCode::decodingFailure);
}

TEST_F(Codec, ErrorMessagesNeverCarryThePan) {
  PANData p = samples::panData(rng);
  p.pan = "4111111111111111X";
  try {
    encode(p);
    FAIL();
  } catch (const ProtocolError& e) {
    EXPECT_EQ(std::string(e.what()).find("4111111111111111"), std::string::npos) << e.what();
  }
}

TEST_F(Codec, UnknownCriticalExtensionIsUnrecognizedExtension) {
  PInitReq r = samples::pInitReq(rng);
  r.piRqExtensions.push_back(MsgExtension{"1.2.3.4.5", false, toBytes("\x04\x00")});
  expectRoundTrip(r);  // non-critical unknown: kept
  r.piRqExtensions.push_back(MsgExtension{"1.2.3.4.6", true, toBytes("\x04\x00")});
  EXPECT_EQ(codeOf([&] { encode(r); }), ErrorCode::unrecognizedExtension);
  PIHead head = samples::piHead(prof, rng, samples::oiData(prof, rng, samples::hodInput(rng)), samples::hodInput(rng));
  head.piExtensions.push_back(gatewayThumbExtension(DD(prof, toBytes("cert"))));
  expectRoundTrip(head);  // our own critical extension is known
}

TEST_F(Codec, VersionChecks) {
  MessageWrapper w{samples::header(rng), samples::pInitReq(rng), {}};
  w.messageHeader.rrpid.reset();
  w.messageHeader.version = 2;
  EXPECT_EQ(codeOf([&] { decode<MessageWrapper>(encode(w)); }), ErrorCode::versionTooNew);
  w.messageHeader.version = 0;
  EXPECT_EQ(codeOf([&] { decode<MessageWrapper>(encode(w)); }), ErrorCode::versionTooOld);
  w.messageHeader.version = 1;
  w.messageHeader.revision = 1;
  EXPECT_EQ(codeOf([&] { decode<MessageWrapper>(encode(w)); }), ErrorCode::versionTooNew);
}

TEST_F(Codec, WrapperMessageMismatch) {
  const PInitReq req = samples::pInitReq(rng);
  MessageWrapper w{samples::header(rng), req, {}};  // header rrpid is a different nonce
  EXPECT_EQ(codeOf([&] { decode<MessageWrapper>(encode(w)); }), ErrorCode::wrapperMsgMismatch);
  w.messageHeader.rrpid = req.rrpid;
  w.messageHeader.messageIDs = MessageIDs{toBytes("someone-else"), std::nullopt, std::nullopt};
  EXPECT_EQ(codeOf([&] { decode<MessageWrapper>(encode(w)); }), ErrorCode::wrapperMsgMismatch);
  w.messageHeader.messageIDs = MessageIDs{req.localIDC, req.localIDM, std::nullopt};
  EXPECT_NO_THROW(decode<MessageWrapper>(encode(w)));
}

TEST_F(Codec, SizeLimits) {
  MessageWrapper w{samples::header(rng), samples::pInitReq(rng), {}};
  w.messageHeader.rrpid = std::get<PInitReq>(w.message).rrpid;
  const Bytes der = encode(w);
  EXPECT_EQ(codeOf([&] { decode<MessageWrapper>(der, der.size() - 1); }), ErrorCode::messageTooBig);
  EXPECT_NO_THROW(decode<MessageWrapper>(der, der.size()));
  ErrorTBS e = samples::errorTBS(rng, samples::header(rng));
  e.errorMsg = Bytes(20000, 0x30);
  expectRoundTrip(e);
  e.errorMsg = Bytes(20001, 0x30);
  EXPECT_EQ(codeOf([&] { encode(e); }), ErrorCode::messageTooBig);
}

TEST_F(Codec, DefaultValuesMustNotBeEncoded) {
  // MessageHeader with revision INTEGER 0 present: BER-legal, not DER.
  MessageHeader h = samples::header(rng);
  Bytes der = encode(h);
  // Insert "02 01 00" after version (30 LL 02 01 01 …).
  ASSERT_EQ(der[2], 0x02);
  Bytes bad(der.begin(), der.begin() + 5);
  bad.insert(bad.end(), {0x02, 0x01, 0x00});
  bad.insert(bad.end(), der.begin() + 5, der.end());
  bad[1] = static_cast<std::uint8_t>(bad[1] + 3);
  EXPECT_EQ(codeOf([&] { decode<MessageHeader>(bad); }), ErrorCode::decodingFailure);
}

TEST_F(Codec, NonCanonicalBooleanIsRefused) {
  const HODInput hod = samples::hodInput(rng);
  AuthReqData d = samples::authReqData(prof, rng, samples::oiData(prof, rng, hod), hod);
  Bytes der = encode(d);
  ASSERT_EQ(der[der.size() - 3], 0x01);  // captureNow BOOLEAN TRUE is the last element: 01 01 ff
  ASSERT_EQ(der.back(), 0xff);
  der.back() = 0x01;
  EXPECT_EQ(codeOf([&] { decode<AuthReqData>(der); }), ErrorCode::decodingFailure);
}

TEST_F(Codec, EveryTruncationAndWrongTagIsATypedError) {
  const HODInput hod = samples::hodInput(rng);
  const OIData oi = samples::oiData(prof, rng, hod);
  MessageWrapper w{samples::headerFor(rng, oi.transIDs, oi.rrpid), samples::pInitReq(rng), {}};
  w.message = Error{samples::errorTBS(rng, w.messageHeader)};
  const Bytes der = encode(w);
  for (std::size_t n = 0; n < der.size(); ++n)
    EXPECT_EQ(codeOf([&] { decode<MessageWrapper>(ByteView(der.data(), n)); }), ErrorCode::decodingFailure) << n;
  for (std::size_t k = 0; k < der.size(); ++k) {
    Bytes bad = der;
    bad[k] ^= 0x20;  // flips constructed bit of tags / changes content elsewhere
    try {
      (void)decode<MessageWrapper>(bad);
    } catch (const ProtocolError&) {
    }
  }
}

TEST_F(Codec, DatesOutsideTheClockRangeAreRefused) {
  TransIDs t = samples::transIDs(rng);
  t.pReqDate = TimePoint(std::chrono::seconds(-86400 * 365));  // 1969
  EXPECT_EQ(codeOf([&] { encode(t); }), ErrorCode::decodingFailure);
  // Year 9999 in DER: found by fuzzing (nanosecond TimePoint overflow); must be a typed error.
  Bytes der = encode(samples::transIDs(rng));
  const std::string h = hex(der);
  const auto at = h.find(hex(toBytes("2026")));
  ASSERT_NE(at, std::string::npos);
  der = unhex(h.substr(0, at) + hex(toBytes("9999")) + h.substr(at + 8));
  EXPECT_EQ(codeOf([&] { decode<TransIDs>(der); }), ErrorCode::decodingFailure);
}

TEST(Describe, AmountsReadLikeMoney) {
  EXPECT_EQ(describe(CurrencyAmount{840, 12950, -2}), "840 12950 -2 = 129.50 USD");
  EXPECT_EQ(describe(CurrencyAmount{978, 5, -2}), "978 5 -2 = 0.05 EUR");
  EXPECT_EQ(describe(CurrencyAmount{392, 1200, 0}), "392 1200 0 = 1200 JPY");
}

}  // namespace
}  // namespace setpay::protocol
