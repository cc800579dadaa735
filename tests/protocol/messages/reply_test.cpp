// The reply toolkit (protocol/messages/reply.hpp) every role answers with: the Error reply and its one
// fallback policy, the header echo, the failure → ErrorReport mapping, the reading of a received code;
// and the Message CHOICE peek it relies on (unknown alternatives are messageNotSupported; an Error is
// never answered with an Error, even when it cannot be decoded).
#include <gtest/gtest.h>

#include "tests/support/thrown.hpp"

#include <algorithm>
#include <stdexcept>

#include "protocol/clock.hpp"
#include "protocol/crypto/digest.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/messages/reply.hpp"
#include "protocol/messages/sealed.hpp"
#include "protocol/profile.hpp"
#include "protocol/random.hpp"
#include "tests/support/test_keys.hpp"

namespace setpay::protocol {
namespace {

TimePoint at() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::from_time_t(1'700'000'000)); }

Bytes unsignedErrorWrapper(int version = 1) {
  ErrorTBS tbs;
  tbs.errorCode = static_cast<int>(ErrorCode::unspecifiedFailure);
  tbs.errorNonce = Bytes(limits::nonce, 0x11);
  tbs.errorMsg = Bytes{0x30, 0x00};
  MessageHeader h;
  h.date = at();
  h.version = 1;
  h.swIdent = "review";
  Bytes der = encode(MessageWrapper{h, Message{Error{tbs}}, {}});
  if (version != 1) {  // MessageHeader.version is the first INTEGER 01 after the header SEQUENCE
    const Bytes one{0x02, 0x01, 0x01};
    const auto pos = std::search(der.begin(), der.end(), one.begin(), one.end());
    if (pos == der.end()) throw std::logic_error("version not found");
    pos[2] = static_cast<std::uint8_t>(version);
  }
  return der;
}

// Rewrites the Message CHOICE tag [999] (BF 87 67) to [998] (BF 87 66): same length, unknown alternative.
Bytes withChoiceTag998(Bytes der) {
  const Bytes t999{0xBF, 0x87, 0x67};
  const auto pos = std::search(der.begin(), der.end(), t999.begin(), t999.end());
  if (pos == der.end()) throw std::logic_error("tag [999] not found");
  pos[2] = 0x66;
  return der;
}

TEST(MessageChoice, UnknownMessageAlternativeIsMessageNotSupported) {
  const Bytes der = withChoiceTag998(unsignedErrorWrapper());
  EXPECT_EQ(messageChoiceTag(der), 998);
  try {
    (void)decode<MessageWrapper>(der);
    FAIL() << "decoded an unknown Message alternative";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.code(), ErrorCode::messageNotSupported) << e.what();
  }
}

TEST(MessageChoice, BrokenDerWithUnknownTagStaysDecodingFailure) {
  Bytes der = withChoiceTag998(unsignedErrorWrapper());
  der.push_back(0x00);  // trailing byte: not valid DER any more
  try {
    (void)decode<MessageWrapper>(der);
    FAIL();
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.code(), ErrorCode::decodingFailure) << e.what();
  }
}

TEST(MessageChoice, ChoiceTagOfGarbageIsAbsent) {
  EXPECT_FALSE(messageChoiceTag(Bytes{}).has_value());
  EXPECT_FALSE(messageChoiceTag(Bytes{0x30, 0x82, 0xFF}).has_value());
  EXPECT_FALSE(messageChoiceTag(Bytes{0x30, 0x80, 0x30, 0x00, 0xA0, 0x80, 0x00, 0x00}).has_value());
  EXPECT_EQ(messageChoiceTag(unsignedErrorWrapper()), kErrorChoiceTag);
}

// A signer that always fails, so errorReply falls back to its unsigned Error.
class FailingSigner final : public Signer {
 public:
  const X509* certificate() const override { return nullptr; }
  Bytes signDigest(const EVP_MD*, ByteView) override { throw std::runtime_error("no key"); }
};

class ErrorReply : public ::testing::Test {
 protected:
  const AlgorithmProfile profile = AlgorithmProfile::make(ProfileId::modern);
  FixedClock clock{at()};
  SeededRandom random{std::string_view("reply")};
  support::TestKey key = support::loadTestKey("rsa-2048");
  SoftwareSigner signer{support::shareCert(key.cert.get()), support::shareKey(key.key.get())};
  FailingSigner failing;

  // A PInitReq wrapper with IDs and an RRPID, as the request being answered.
  MessageWrapper request() {
    MessageHeader h;
    h.date = at();
    h.messageIDs = MessageIDs{toBytes("lid-C"), toBytes("lid-M"), std::nullopt};
    h.rrpid = Bytes(limits::nonce, 0x42);
    h.swIdent = "wallet";
    return MessageWrapper{h, PInitReq{*h.rrpid, "en", toBytes("lid-C"), toBytes("lid-M"), Bytes(limits::nonce, 7),
                                      "SETPAY", "411111", std::nullopt, {}},
                          {}};
  }
};

TEST_F(ErrorReply, IsSignedAndEchoesTheOffendingHeader) {
  const MessageWrapper req = request();
  const Bytes der = encode(req);
  const Bytes thumb = thumbprint(profile, ossl::der(key.cert.get()));
  const Bytes reply = errorReply(profile, signer, clock, random, "merchant",
                                 ErrorReport{ErrorCode::invalidCertificate, thumb, std::nullopt}, req.messageHeader, der);
  const MessageWrapper w = decode<MessageWrapper>(reply);
  EXPECT_EQ(w.messageHeader.rrpid, req.messageHeader.rrpid);
  EXPECT_EQ(w.messageHeader.messageIDs, req.messageHeader.messageIDs);
  EXPECT_EQ(w.messageHeader.swIdent, "merchant");
  const OpenedError e = open(profile, std::get<Error>(w.message));
  ASSERT_TRUE(e.signature);
  EXPECT_EQ(X509_cmp(e.signature->signer.get(), key.cert.get()), 0);
  EXPECT_EQ(errorCodeOf(e.data.errorCode), ErrorCode::invalidCertificate);
  EXPECT_EQ(e.data.errorThumb, thumb);
  EXPECT_EQ(std::get<MessageHeader>(e.data.errorMsg), req.messageHeader);
  EXPECT_EQ(e.data.errorNonce.size(), limits::nonce);
}

TEST_F(ErrorReply, FallsBackToTheUnsignedErrorWhenSigningFails) {
  const MessageWrapper req = request();
  const Bytes reply = errorReply(profile, failing, clock, random, "gw", ErrorReport{ErrorCode::versionTooNew, {}, {}},
                                 req.messageHeader, encode(req));
  const Error e = std::get<Error>(decode<MessageWrapper>(reply).message);
  ASSERT_TRUE(std::holds_alternative<ErrorTBS>(e.value)) << "expected the unsigned Error";
  EXPECT_EQ(errorCodeOf(std::get<ErrorTBS>(e.value).errorCode), ErrorCode::versionTooNew);
}

TEST_F(ErrorReply, UndecodableRequestIsEchoedAsBoundedBadWrapper) {
  const Bytes garbage(limits::badWrapper + 500, 0x5A);
  const Bytes reply = errorReply(profile, signer, clock, random, "m", ErrorReport{ErrorCode::decodingFailure, {}, {}},
                                 std::nullopt, garbage);
  const OpenedError e = open(profile, std::get<Error>(decode<MessageWrapper>(reply).message));
  const Bytes& echoed = std::get<Bytes>(e.data.errorMsg);
  EXPECT_EQ(echoed.size(), limits::badWrapper);
  EXPECT_TRUE(std::equal(echoed.begin(), echoed.end(), garbage.begin()));
}

TEST_F(ErrorReply, UndecodableErrorIsNotAnsweredWithAnError) {
  const ErrorReport report{ErrorCode::versionTooNew, std::nullopt, std::nullopt};
  const Bytes futureError = unsignedErrorWrapper(2);  // an Error we refuse to decode (version 2)
  ASSERT_EQ(test_support::thrownCode([&] { (void)decode<MessageWrapper>(futureError); }), ErrorCode::versionTooNew);
  EXPECT_TRUE(errorReply(profile, failing, clock, random, "gw", report, std::nullopt, futureError).empty());
  EXPECT_TRUE(errorReply(profile, signer, clock, random, "gw", report, std::nullopt, futureError).empty());
  // Control: the same failure on a non-Error message is answered.
  const Bytes notAnError = withChoiceTag998(futureError);
  EXPECT_FALSE(errorReply(profile, failing, clock, random, "gw", report, std::nullopt, notAnError).empty());
}

TEST(ErrorReports, FollowWhatWasThrown) {
  const ErrorReport refusal = reportOf(Refusal(ErrorCode::unrecognizedExtension, "x", Bytes{1, 2}, "1.2.3"));
  EXPECT_EQ(refusal.code, ErrorCode::unrecognizedExtension);
  EXPECT_EQ(refusal.errorThumb, (Bytes{1, 2}));
  EXPECT_EQ(refusal.errorOID, "1.2.3");
  const ErrorReport plain = reportOf(ProtocolError(ErrorCode::unknownXID, "x"));
  EXPECT_EQ(plain.code, ErrorCode::unknownXID);
  EXPECT_FALSE(plain.errorThumb);
  EXPECT_EQ(reportOf(std::runtime_error("socket")).code, ErrorCode::unspecifiedFailure);
}

TEST(ErrorReports, ReceivedCodesWeDoNotKnowAreUnspecifiedFailure) {
  EXPECT_EQ(errorCodeOf(static_cast<int>(ErrorCode::challengeMismatch)), ErrorCode::challengeMismatch);
  EXPECT_EQ(errorCodeOf(static_cast<int>(ErrorCode::signatureFailure)), ErrorCode::signatureFailure);
  EXPECT_EQ(errorCodeOf(0), ErrorCode::unspecifiedFailure);
  EXPECT_EQ(errorCodeOf(static_cast<int>(ErrorCode::challengeMismatch) + 1), ErrorCode::unspecifiedFailure);
  EXPECT_EQ(errorCodeOf(1000), ErrorCode::unspecifiedFailure);
}

}  // namespace
}  // namespace setpay::protocol
