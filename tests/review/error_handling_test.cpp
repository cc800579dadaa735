// Review: unknown Message alternatives are messageNotSupported, and an Error is never answered with an
// Error even when it cannot be decoded.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "gateway/error_reply.hpp"
#include "protocol/clock.hpp"
#include "protocol/error.hpp"
#include "protocol/messages/codec.hpp"
#include "protocol/profile.hpp"
#include "protocol/random.hpp"

namespace setpay::protocol {
namespace {

Bytes unsignedErrorWrapper(int version = 1) {
  ErrorTBS tbs;
  tbs.errorCode = static_cast<int>(ErrorCode::unspecifiedFailure);
  tbs.errorNonce = Bytes(limits::nonce, 0x11);
  tbs.errorMsg = Bytes{0x30, 0x00};
  MessageHeader h;
  h.date = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::from_time_t(1'700'000'000));
  h.version = 1;
  h.swIdent = "review";
  Bytes der = encode(MessageWrapper{h, Message{Error{tbs}}, {}});
  if (version != 1) {  // MessageHeader.version is the first INTEGER 01 after the header SEQUENCE
    const Bytes one{0x02, 0x01, 0x01};
    const auto at = std::search(der.begin(), der.end(), one.begin(), one.end());
    if (at == der.end()) throw std::logic_error("version not found");
    at[2] = static_cast<std::uint8_t>(version);
  }
  return der;
}

// Rewrites the Message CHOICE tag [999] (BF 87 67) to [998] (BF 87 66): same length, unknown alternative.
Bytes withChoiceTag998(Bytes der) {
  const Bytes t999{0xBF, 0x87, 0x67};
  const auto at = std::search(der.begin(), der.end(), t999.begin(), t999.end());
  if (at == der.end()) throw std::logic_error("tag [999] not found");
  at[2] = 0x66;
  return der;
}

TEST(ReviewMessages, UnknownMessageAlternativeIsMessageNotSupported) {
  const Bytes der = withChoiceTag998(unsignedErrorWrapper());
  EXPECT_EQ(messageChoiceTag(der), 998);
  try {
    (void)decode<MessageWrapper>(der);
    FAIL() << "decoded an unknown Message alternative";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.code(), ErrorCode::messageNotSupported) << e.what();
  }
}

TEST(ReviewMessages, BrokenDerWithUnknownTagStaysDecodingFailure) {
  Bytes der = withChoiceTag998(unsignedErrorWrapper());
  der.push_back(0x00);  // trailing byte: not valid DER any more
  try {
    (void)decode<MessageWrapper>(der);
    FAIL();
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.code(), ErrorCode::decodingFailure) << e.what();
  }
}

TEST(ReviewMessages, ChoiceTagOfGarbageIsAbsent) {
  EXPECT_FALSE(messageChoiceTag(Bytes{}).has_value());
  EXPECT_FALSE(messageChoiceTag(Bytes{0x30, 0x82, 0xFF}).has_value());
  EXPECT_FALSE(messageChoiceTag(Bytes{0x30, 0x80, 0x30, 0x00, 0xA0, 0x80, 0x00, 0x00}).has_value());
  EXPECT_EQ(messageChoiceTag(unsignedErrorWrapper()), kErrorChoiceTag);
}

// A signer that always fails, so errorReply falls back to its unsigned Error (what it would send).
class FailingSigner final : public Signer {
 public:
  const X509* certificate() const override { return nullptr; }
  Bytes signDigest(const EVP_MD*, ByteView) override { throw std::runtime_error("no key"); }
};

TEST(ReviewGateway, UndecodableErrorIsNotAnsweredWithAnError) {
  const AlgorithmProfile profile = AlgorithmProfile::make(ProfileId::modern);
  FailingSigner signer;
  FixedClock clock(std::chrono::system_clock::from_time_t(1'700'000'000));
  SeededRandom random(std::string_view("review"));
  const gateway::ErrorReport report{ErrorCode::versionTooNew, std::nullopt, std::nullopt};
  const Bytes futureError = unsignedErrorWrapper(2);  // an Error we refuse to decode (version 2)
  ASSERT_THROW((void)decode<MessageWrapper>(futureError), ProtocolError);
  EXPECT_TRUE(gateway::errorReply(profile, signer, clock, random, "gw", report, std::nullopt, futureError).empty());
  // Control: the same failure on a non-Error message is answered.
  const Bytes notAnError = withChoiceTag998(futureError);
  EXPECT_FALSE(gateway::errorReply(profile, signer, clock, random, "gw", report, std::nullopt, notAnError).empty());
}

}  // namespace
}  // namespace setpay::protocol
