// Issue 12 item 8: a PI is bounded in age (its PReqDate, signed by the cardholder) and in how often
// the issuer is asked about it: once the issuer has declined it maxIssuerAttempts times, under any
// RRPIDs, the gateway answers piPreviouslyUsed without asking again.
#include <gtest/gtest.h>

#include "tests/gateway/gateway_fixture.hpp"

namespace setpay::gateway::test {
namespace {

class PIBounds : public ::testing::TestWithParam<ProfileId> {};

constexpr std::int64_t kPrice = 12950;

AuthCode codeOf(const OpenedAuthRes& r) { return r.data.authResPayload.authHeader.authCode; }
ErrorCode codeOf(const ErrorTBS& e) { return static_cast<ErrorCode>(e.errorCode); }

// The bench's issuer, counting how often it is asked.
class CountingIssuer final : public Issuer {
 public:
  explicit CountingIssuer(Issuer& inner) : inner_(inner) {}
  IssuerDecision authorize(const IssuerRequest& r) override {
    ++asked;
    return inner_.authorize(r);
  }
  bool capture(const std::string& code, const CurrencyAmount& a) override { return inner_.capture(code, a); }
  int asked = 0;

 private:
  Issuer& inner_;
};

TEST_P(PIBounds, APIOlderThanMaxPIAgeIsRefused) {
  Bench b(GetParam());
  const GatewayConfig& config = b.gateway->config();
  const Purchase old = b.purchase(b.w.card, Bench::eur(kPrice));
  b.clock.advance(config.maxPIAge + std::chrono::minutes(1));
  // The AuthReq itself is fresh (new RRTags date); only the PI is old.
  const ErrorTBS e = b.error(b.gateway->handle(b.authReqWith(b.authReqData(old, Bench::eur(kPrice)), old.pi)));
  EXPECT_EQ(codeOf(e), ErrorCode::messageTooOld);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000));

  Bench fresh(GetParam());  // control: a PI just inside the bound is authorized
  const Purchase p = fresh.purchase(fresh.w.card, Bench::eur(kPrice));
  fresh.clock.advance(config.maxPIAge - std::chrono::minutes(1));
  EXPECT_EQ(codeOf(fresh.authRes(fresh.gateway->handle(fresh.authReqWith(fresh.authReqData(p, Bench::eur(kPrice)), p.pi)))),
            AuthCode::approved);
}

TEST_P(PIBounds, APIDatedInTheFutureIsRefused) {
  Bench b(GetParam());
  const Purchase p = b.purchase(b.w.card, Bench::eur(kPrice), nullptr, [&](PIHead& head, PANData&) {
    head.transIDs.pReqDate += std::chrono::hours(1);
  });
  EXPECT_EQ(codeOf(b.error(b.gateway->handle(b.authReq(p)))), ErrorCode::messageTooNew);
}

TEST_P(PIBounds, ADeclinedPIIsNotResubmittedToTheIssuerWithoutEnd) {
  Bench b(GetParam());
  CountingIssuer issuer(b.issuer);
  PaymentGateway gateway(b.config({}), b.store, issuer, b.clock, b.random);
  const GatewayConfig& config = gateway.config();
  b.issuer.openAccount(b.w.card.pan, Bench::eur(5000), Bench::eur(50000), b.w.card.expiry);  // 50.00: too little
  Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  for (unsigned i = 0; i < config.maxIssuerAttempts; ++i) {
    p.authReqData = b.authReqData(p, Bench::eur(kPrice));  // a new RRPID each time, the same PI
    EXPECT_EQ(codeOf(b.authRes(gateway.handle(b.authReq(p)))), AuthCode::declined);
  }
  EXPECT_EQ(issuer.asked, static_cast<int>(config.maxIssuerAttempts));
  // Even with funds now, this PI is spent: no further issuer call.
  b.issuer.openAccount(b.w.card.pan, Bench::eur(100000), Bench::eur(50000), b.w.card.expiry);
  for (int i = 0; i < 3; ++i) {
    p.authReqData = b.authReqData(p, Bench::eur(kPrice));
    EXPECT_EQ(codeOf(b.authRes(gateway.handle(b.authReq(p)))), AuthCode::piPreviouslyUsed);
  }
  EXPECT_EQ(issuer.asked, static_cast<int>(config.maxIssuerAttempts));
  // A new purchase (a new PI) is asked about, and authorized.
  EXPECT_EQ(codeOf(b.authRes(gateway.handle(b.authReq(b.purchase(b.w.card, Bench::eur(kPrice)))))), AuthCode::approved);
  EXPECT_EQ(issuer.asked, static_cast<int>(config.maxIssuerAttempts) + 1);
}

TEST_P(PIBounds, DeclinesBeforeTheIssuerDoNotCount) {
  Bench b(GetParam());
  CountingIssuer issuer(b.issuer);
  PaymentGateway gateway(b.config({}), b.store, issuer, b.clock, b.random);
  const GatewayConfig& config = gateway.config();
  Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  for (unsigned i = 0; i <= config.maxIssuerAttempts; ++i) {  // the merchant asks too much each time
    p.authReqData = b.authReqData(p, Bench::eur(kPrice + 1));
    EXPECT_EQ(codeOf(b.authRes(gateway.handle(b.authReq(p)))), AuthCode::amountError);
  }
  EXPECT_EQ(issuer.asked, 0);
  p.authReqData = b.authReqData(p, Bench::eur(kPrice));
  EXPECT_EQ(codeOf(b.authRes(gateway.handle(b.authReq(p)))), AuthCode::approved);
}

INSTANTIATE_TEST_SUITE_P(Profiles, PIBounds, ::testing::Values(ProfileId::set1, ProfileId::modern), profileName);

}  // namespace
}  // namespace setpay::gateway::test
