// Typed values <-> strict DER: round trips for every plain structure, and each field-level or
// header-level violation mapped to its SET ErrorCode.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>

#include "protocol/crypto/digest.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/messages/sealed.hpp"
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
  expectRoundTrip(PI_OILink{head, hOIData(prof, oi)});
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
  expectRoundTrip(CapTokenSeq{{CapToken{CapToken::Kind::null, {}}, CapToken{CapToken::Kind::enc, thumbprint(prof, toBytes("x"))}}});
  expectRoundTrip(samples::errorTBS(rng, samples::header(rng)));
  AuthResBaggage bag;
  bag.capToken = CapToken{CapToken::Kind::null, {}};
  bag.authToken = AuthToken{thumbprint(prof, toBytes("token stand-in"))};
  expectRoundTrip(bag);
}

TEST_F(Codec, WrapperRoundTripsEveryPlainMessage) {
  const PInitReq req = samples::pInitReq(rng);
  MessageWrapper w{samples::header(rng), req, {}};
  w.messageHeader.rrpid = req.rrpid;
  expectRoundTrip(w);
  w.message = Error{samples::errorTBS(rng, w.messageHeader)};
  expectRoundTrip(w);
  w.message = AuthRes{true, thumbprint(prof, toBytes("opaque EncBX stand-in"))};
  expectRoundTrip(w);
  w.message = CapReq{false, thumbprint(prof, toBytes("opaque EncB stand-in"))};
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
  head.piExtensions.push_back(gatewayThumbExtension(thumbprint(prof, toBytes("cert"))));
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

// Trailing bytes after a MessageWrapper that form a well-formed element (NULL, 05 00): refused as
// decodingFailure, also when the wrapper's Message alternative is unknown (which alone would be
// messageNotSupported: the trailing element must not turn broken DER into "not supported").
TEST_F(Codec, TrailingWellFormedElementAfterTheWrapperIsRefused) {
  MessageWrapper w{samples::header(rng), Error{samples::errorTBS(rng, samples::header(rng))}, {}};
  const Bytes der = encode(w);
  Bytes trailing = der;
  trailing.insert(trailing.end(), {0x05, 0x00});
  try {
    (void)decode<MessageWrapper>(trailing);
    ADD_FAILURE() << "accepted";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.code(), ErrorCode::decodingFailure);
    EXPECT_NE(std::string(e.what()).find("trailing bytes"), std::string::npos) << e.what();
  }
  // The same wrapper with the Message tag [999] (BF 87 67) turned into the unknown [998].
  Bytes unknown = der;
  const Bytes t999{0xBF, 0x87, 0x67};
  const auto at = std::search(unknown.begin(), unknown.end(), t999.begin(), t999.end());
  ASSERT_NE(at, unknown.end());
  at[2] = 0x66;
  EXPECT_EQ(codeOf([&] { decode<MessageWrapper>(unknown); }), ErrorCode::messageNotSupported);
  unknown.insert(unknown.end(), {0x05, 0x00});
  EXPECT_EQ(codeOf([&] { decode<MessageWrapper>(unknown); }), ErrorCode::decodingFailure);
}

// SETString is a CHOICE (SPEC-CHOICES "SETString under a context tag"): a context tag on it is
// EXPLICIT — [n] { VisibleString } — and the IMPLICIT form ([n] in place of the VisibleString tag) is
// refused.
TEST_F(Codec, SETStringUnderAContextTagIsExplicit) {
  TransIDs t = samples::transIDs(rng);
  t.paySysID = "PAYSYS-1";
  const Bytes der = encode(t);
  const std::string explicitForm = "a10a1a08" + hex(toBytes("PAYSYS-1"));
  std::string h = hex(der);
  const auto at = h.find(explicitForm);
  ASSERT_NE(at, std::string::npos) << h;
  EXPECT_EQ(decode<TransIDs>(der), t);
  ASSERT_LT(der[1], 0x80);  // short-form outer length: 2 bytes shorter below
  std::string implicitForm = h.substr(0, at) + "8108" + hex(toBytes("PAYSYS-1")) + h.substr(at + explicitForm.size());
  Bytes implicit = unhex(implicitForm);
  implicit[1] = static_cast<std::uint8_t>(implicit[1] - 2);
  EXPECT_EQ(codeOf([&] { decode<TransIDs>(implicit); }), ErrorCode::decodingFailure);

  // MerTermIDs.terminalID [0], AVSData.streetAddress [0], Location.city [0] / stateProvince [1] /
  // postalCode [2]: all SETStrings, all explicit in the AuthReqData sample.
  const HODInput hod = samples::hodInput(rng);
  const std::string item = hex(encode(samples::authReqData(prof, rng, samples::oiData(prof, rng, hod), hod)));
  for (const auto& [tag, text] : {std::pair{"a0", "TERM-7"}, std::pair{"a0", "1 Main Street"},
                                  std::pair{"a0", "Springfield"}, std::pair{"a1", "IL"}, std::pair{"a2", "62701"}}) {
    const std::string value = hex(toBytes(text));
    const std::string expected = std::string(tag) + hex(Bytes{static_cast<std::uint8_t>(std::string(text).size() + 2)}) +
                                 "1a" + hex(Bytes{static_cast<std::uint8_t>(std::string(text).size())}) + value;
    EXPECT_NE(item.find(expected), std::string::npos) << text;
  }
}

// AuthReqPayload's BOOLEANs are DEFAULT FALSE: FALSE is not written (DER), TRUE is 01 01 ff, and an
// encoded FALSE is refused.
TEST_F(Codec, AuthReqPayloadBooleansAreDefaultFalse) {
  const HODInput hod = samples::hodInput(rng);
  AuthReqItem item = samples::authReqData(prof, rng, samples::oiData(prof, rng, hod), hod).authReqItem;
  item.authReqPayload.avsData.reset();
  item.authReqPayload.subsequentAuthInd = false;
  item.authReqPayload.requestCardTypeInd = false;
  const Bytes off = encode(item);
  item.authReqPayload.subsequentAuthInd = true;
  item.authReqPayload.requestCardTypeInd = true;
  const Bytes on = encode(item);
  EXPECT_EQ(on.size(), off.size() + 6);  // two times 01 01 ff, nothing for FALSE
  expectRoundTrip(item);
  // subsequentAuthInd precedes authReqAmt, requestCardTypeInd follows it (no avsData here).
  const std::string amount = hex(encode(item.authReqPayload.authReqAmt));
  const std::string h = hex(on);
  const auto at = h.find("0101ff" + amount + "0101ff");
  ASSERT_NE(at, std::string::npos) << h;
  for (const std::size_t flag : {at, at + 6 + amount.size()}) {
    std::string explicitFalse = h;
    explicitFalse.replace(flag, 6, "010100");
    EXPECT_EQ(codeOf([&] { decode<AuthReqItem>(unhex(explicitFalse)); }), ErrorCode::decodingFailure) << flag;
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
