// The small typed values of message c: MSISDN, strict base64, the signed time, the merchant URL rule,
// sender ids, the replay memory and the error → HTTP status table.
#include <gtest/gtest.h>

#include "protocol/redirect/base64.hpp"
#include "protocol/redirect/envelope.hpp"
#include "protocol/redirect/merchant_url.hpp"
#include "protocol/redirect/msisdn.hpp"
#include "protocol/redirect/redirect_error.hpp"
#include "protocol/redirect/replay.hpp"
#include "protocol/redirect/utc_time.hpp"

namespace setpay::protocol {
namespace {

TEST(Msisdn, AcceptsE164Only) {
  const auto m = Msisdn::parse("+33612345678");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->e164(), "+33612345678");
  EXPECT_EQ(m->digits(), "33612345678");
  EXPECT_TRUE(Msisdn::parse("+1234567"));          // 7 digits: shortest plans
  EXPECT_TRUE(Msisdn::parse("+123456789012345"));  // 15 digits: E.164 maximum
  for (const char* bad : {"", "+", "33612345678", "+0612345678", "+123456", "+1234567890123456", "+33 612345678",
                          "+33-612345678", "0033612345678", "+33612345678\n", "+3361234567a", "++33612345678",
                          " +33612345678", "+٣٣612345678"})
    EXPECT_FALSE(Msisdn::parse(bad)) << bad;
}

TEST(Msisdn, InternationalDigitsFromTheOperatorMayOmitThePlus) {
  EXPECT_EQ(Msisdn::parseInternational("33612345678")->e164(), "+33612345678");
  EXPECT_EQ(Msisdn::parseInternational("+33612345678")->e164(), "+33612345678");
  EXPECT_FALSE(Msisdn::parseInternational("0612345678"));  // national format: no country code
  EXPECT_FALSE(Msisdn::parseInternational("++33612345678"));
  EXPECT_FALSE(Msisdn::parseInternational(""));
}

TEST(Base64, RoundTripsThroughEvp) {
  for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 57u, 58u, 1000u}) {
    Bytes b(n);
    for (std::size_t k = 0; k < n; ++k) b[k] = static_cast<std::uint8_t>(k * 37 + 11);
    const std::string text = base64Encode(b);
    EXPECT_EQ(text.size(), 4 * ((n + 2) / 3));
    EXPECT_EQ(base64Decode(text, n), b) << n;
  }
  EXPECT_EQ(base64Encode(toBytes("any carnal pleas")), "YW55IGNhcm5hbCBwbGVhcw==");  // RFC 4648 style
}

TEST(Base64, ToleratesLineWrappingOnly) {
  EXPECT_EQ(base64Decode(" YW55\r\n IGNh\tcm5h bCBw\nbGVhcw==\n", 100), toBytes("any carnal pleas"));
}

TEST(Base64, RefusesNonCanonicalOrTruncatedText) {
  EXPECT_FALSE(base64Decode("YW55IGNhcm5hbCBwbGVhcw", 100));    // padding missing
  EXPECT_FALSE(base64Decode("YW55IGNhcm5hbCBwbGVhcx==", 100));  // non-zero padding bits
  EXPECT_FALSE(base64Decode("YW55-GNh", 100));                  // EVP's '-' end marker
  EXPECT_FALSE(base64Decode("YW5=IGNh", 100));                  // '=' in the middle
  EXPECT_FALSE(base64Decode("YW55*GNh", 100));
  EXPECT_FALSE(base64Decode("YW55IGNh", 5));                    // 6 bytes > max 5
  EXPECT_EQ(base64Decode("YW55IGNh", 6), toBytes("any ca"));
}

TEST(UtcSeconds, OneSpellingOnly) {
  EXPECT_EQ(formatUtcSeconds(vectorEpoch()), "2026-01-01T00:00:00Z");
  EXPECT_EQ(formatUtcSeconds(vectorEpoch() + std::chrono::milliseconds(86399999)), "2026-01-01T23:59:59Z");
  EXPECT_EQ(parseUtcSeconds("2026-01-01T00:00:00Z"), vectorEpoch());
  EXPECT_EQ(formatUtcSeconds(*parseUtcSeconds("2200-12-31T23:59:59Z")), "2200-12-31T23:59:59Z");
  EXPECT_EQ(formatUtcSeconds(*parseUtcSeconds("1970-01-01T00:00:00Z")), "1970-01-01T00:00:00Z");
  EXPECT_EQ(parseUtcSeconds("2028-02-29T12:34:56Z"), vectorEpoch() + std::chrono::days(365 + 365 + 59) +
                                                         std::chrono::hours(12) + std::chrono::minutes(34) +
                                                         std::chrono::seconds(56));
  for (const char* bad : {"2026-01-01T00:00:00", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00.5Z",
                          "2026-01-01 00:00:00Z", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
                          "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "1969-12-31T23:59:59Z", "+026-01-01T00:00:00Z",
                          "2201-01-01T00:00:00Z", "9999-12-31T23:59:59Z"})
    EXPECT_FALSE(parseUtcSeconds(bad)) << bad;
}

TEST(MerchantUrl, HttpOrHttpsWithHostAndNoUserinfo) {
  EXPECT_EQ(merchantUrlProblem("https://shop.example/set"), "");
  EXPECT_EQ(merchantUrlProblem("http://127.0.0.1:8080/set?x=1"), "");
  EXPECT_EQ(merchantUrlProblem("https://[2001:db8::1]:8443/set"), "");
  EXPECT_EQ(merchantUrlProblem("https://user:pw@shop.example/set"), "userinfo not allowed");
  EXPECT_EQ(merchantUrlProblem("https://@shop.example/set"), "userinfo not allowed");
  EXPECT_EQ(merchantUrlProblem("ftp://shop.example/set"), "scheme must be https or http");
  EXPECT_EQ(merchantUrlProblem("javascript:alert(1)"), "scheme must be https or http");
  EXPECT_EQ(merchantUrlProblem("https:///set"), "no host");
  EXPECT_EQ(merchantUrlProblem("https://shop.example/set#frag"), "not an absolute URI");
  EXPECT_EQ(merchantUrlProblem("https://shop.example/a b"), "not an absolute URI");
  EXPECT_EQ(merchantUrlProblem("/set"), "not an absolute URI");
  EXPECT_EQ(merchantUrlProblem(""), "empty");
  EXPECT_EQ(merchantUrlProblem("https://shop.example/" + std::string(2048, 'a')), "too long");
}

TEST(Sender, TokensAndIds) {
  for (auto k : {SenderKind::direct, SenderKind::relay, SenderKind::gatewayProxy, SenderKind::onTerminal})
    EXPECT_EQ(senderKindFromToken(token(k)), k);
  EXPECT_EQ(token(SenderKind::gatewayProxy), "gateway-proxy");
  EXPECT_EQ(token(SenderKind::onTerminal), "on-terminal");
  EXPECT_FALSE(senderKindFromToken("Direct"));
  EXPECT_TRUE(validSenderId("redirector-01.orange.example"));
  EXPECT_TRUE(validSenderId("terminal:+33612345678"));
  EXPECT_FALSE(validSenderId(""));
  EXPECT_FALSE(validSenderId("-leading-dash"));
  EXPECT_FALSE(validSenderId("has space"));
  EXPECT_FALSE(validSenderId(std::string(129, 'a')));
  EXPECT_TRUE(validSenderId(std::string(128, 'a')));
}

TEST(RedirectErrors, SuggestedHttpStatus) {
  const std::pair<RedirectReason, int> table[] = {
      {RedirectReason::tooBig, 413},           {RedirectReason::badXml, 400},
      {RedirectReason::schemaInvalid, 400},    {RedirectReason::badField, 400},
      {RedirectReason::wakeUpInvalid, 422},    {RedirectReason::merchantUrlMismatch, 422},
      {RedirectReason::unsigned_, 401},        {RedirectReason::badSignature, 401},
      {RedirectReason::stale, 401},            {RedirectReason::passwordRequired, 401},
      {RedirectReason::passwordWrong, 401},    {RedirectReason::keyNotEnrolled, 403},
      {RedirectReason::unknownMsisdn, 404},    {RedirectReason::replayed, 409},
      {RedirectReason::replayCacheFull, 503},
  };
  for (auto [reason, status] : table) EXPECT_EQ(suggestedHttpStatus(reason), status) << name(reason);
  const RedirectError e(RedirectReason::replayed, "x");
  EXPECT_EQ(e.reason(), RedirectReason::replayed);
  EXPECT_NE(std::string(e.what()).find("replayed"), std::string::npos);
  EXPECT_EQ(RedirectError(RedirectReason::badSignature, "x").code(), ErrorCode::signatureFailure);
}

TEST(MemoryNonceRegistry, RemembersUntilForgetAfterThenForgets) {
  MemoryNonceRegistry r(3);
  const Sender a{SenderKind::direct, "a"}, b{SenderKind::relay, "a"};
  const TimePoint t0 = vectorEpoch();
  const Bytes n1(16, 1), n2(16, 2);
  EXPECT_EQ(r.remember(a, n1, t0, t0 + std::chrono::seconds(10)), NonceCheck::fresh);
  EXPECT_EQ(r.remember(a, n1, t0 + std::chrono::seconds(5), t0 + std::chrono::seconds(15)), NonceCheck::replayed);
  EXPECT_EQ(r.remember(b, n1, t0, t0 + std::chrono::seconds(10)), NonceCheck::fresh);  // other sender kind
  EXPECT_EQ(r.remember(a, n2, t0, t0 + std::chrono::seconds(20)), NonceCheck::fresh);
  EXPECT_EQ(r.remember(a, Bytes(16, 3), t0, t0 + std::chrono::seconds(20)), NonceCheck::full);
  EXPECT_EQ(r.size(), 3u);
  // Past n1's forgetAfter, both n1 entries go; n2 stays.
  EXPECT_EQ(r.remember(a, Bytes(16, 3), t0 + std::chrono::seconds(11), t0 + std::chrono::seconds(30)), NonceCheck::fresh);
  EXPECT_EQ(r.size(), 2u);
  EXPECT_EQ(r.remember(a, n2, t0 + std::chrono::seconds(11), t0 + std::chrono::seconds(30)), NonceCheck::replayed);
}

}  // namespace
}  // namespace setpay::protocol
