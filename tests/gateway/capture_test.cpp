// CapReq → CapRes and CaptureNow, both profiles: the hold becomes a debit once; a second capture of the
// same authorization is duplicateRequest; more than authorized is requestAmountTooHigh.
#include <gtest/gtest.h>

#include "tests/gateway/gateway_fixture.hpp"

namespace setpay::gateway::test {
namespace {

class CaptureTest : public ::testing::TestWithParam<ProfileId> {};

constexpr std::int64_t kPrice = 12950;

struct Authorized {
  AuthTags tags;
  CapToken token;
};

Authorized authorize(Bench& b) {
  const Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  const OpenedAuthRes res = b.authRes(b.gateway->handle(b.authReq(p)));
  if (res.data.authResPayload.authHeader.authCode != AuthCode::approved || !res.baggage.capToken)
    throw std::runtime_error("authorization was not approved");
  return Authorized{res.data.authTags, *res.baggage.capToken};
}

CapCode capCodeOf(const OpenedCapRes& r, std::size_t i = 0) { return r.data.capResItemSeq.at(i).capResPayload.capCode; }

TEST_P(CaptureTest, CapReqCapturesOnceAndRefusesADoubleCapture) {
  Bench b(GetParam());
  const Authorized a = authorize(b);
  const OpenedCapRes res = b.capRes(b.gateway->handle(b.capReq(a.tags, a.token, Bench::eur(kPrice))));
  EXPECT_EQ(capCodeOf(res), CapCode::success);
  EXPECT_EQ(res.data.capResItemSeq.at(0).capResPayload.capAmt, Bench::eur(kPrice));
  EXPECT_EQ(res.data.capResItemSeq.at(0).authRRPID, a.tags.authRRTags.rrpid);
  EXPECT_EQ(X509_cmp(res.signature.signer.get(), b.w.h.gatewaySignature.cert.get()), 0);
  EXPECT_EQ(b.issuer.balance(b.w.card.pan), Bench::eur(100000 - kPrice));
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000 - kPrice));

  const OpenedCapRes again = b.capRes(b.gateway->handle(b.capReq(a.tags, a.token, Bench::eur(kPrice))));
  EXPECT_EQ(capCodeOf(again), CapCode::duplicateRequest);
  EXPECT_EQ(b.issuer.balance(b.w.card.pan), Bench::eur(100000 - kPrice));
}

TEST_P(CaptureTest, ReplayedCapReqGetsTheSameCapResBytes) {
  Bench b(GetParam());
  const Authorized a = authorize(b);
  const Bytes request = b.capReq(a.tags, a.token, Bench::eur(kPrice));
  const Bytes first = b.gateway->handle(request);
  EXPECT_EQ(capCodeOf(b.capRes(first)), CapCode::success);
  EXPECT_EQ(b.gateway->handle(request), first);
  EXPECT_EQ(b.issuer.balance(b.w.card.pan), Bench::eur(100000 - kPrice));
}

TEST_P(CaptureTest, CapturingMoreThanAuthorizedIsRefusedAndLessReleasesTheRest) {
  Bench b(GetParam());
  const Authorized a = authorize(b);
  EXPECT_EQ(capCodeOf(b.capRes(b.gateway->handle(b.capReq(a.tags, a.token, Bench::eur(kPrice + 1))))),
            CapCode::requestAmountTooHigh);
  EXPECT_EQ(b.issuer.balance(b.w.card.pan), Bench::eur(100000));
  EXPECT_EQ(capCodeOf(b.capRes(b.gateway->handle(b.capReq(a.tags, a.token, Bench::eur(10000))))), CapCode::success);
  EXPECT_EQ(b.issuer.balance(b.w.card.pan), Bench::eur(90000));
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(90000));  // the 29.50 not captured is released
}

TEST_P(CaptureTest, CapTokenOfAnotherAuthorizationOrNoneIsRefused) {
  Bench b(GetParam());
  const Authorized a = authorize(b);
  const Authorized other = authorize(b);
  EXPECT_EQ(capCodeOf(b.capRes(b.gateway->handle(b.capReq(a.tags, other.token, Bench::eur(kPrice))))),
            CapCode::invalidAuthData);
  EXPECT_EQ(capCodeOf(b.capRes(b.gateway->handle(b.capReq(a.tags, CapToken{}, Bench::eur(kPrice))))),
            CapCode::authDataMissing);
  EXPECT_EQ(b.issuer.balance(b.w.card.pan), Bench::eur(100000));
}

TEST_P(CaptureTest, CaptureNowDebitsWithTheAuthorization) {
  Bench b(GetParam());
  Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  p.authReqData.captureNow = true;
  const OpenedAuthRes res = b.authRes(b.gateway->handle(b.authReq(p)));
  ASSERT_EQ(res.data.authResPayload.authHeader.authCode, AuthCode::approved);
  ASSERT_TRUE(res.data.authResPayload.capResPayload);
  EXPECT_EQ(res.data.authResPayload.capResPayload->capCode, CapCode::success);
  EXPECT_EQ(res.data.authResPayload.capResPayload->capAmt, Bench::eur(kPrice));
  EXPECT_EQ(b.issuer.balance(b.w.card.pan), Bench::eur(100000 - kPrice));
  ASSERT_TRUE(res.baggage.capToken);
  EXPECT_EQ(capCodeOf(b.capRes(b.gateway->handle(b.capReq(res.data.authTags, *res.baggage.capToken, Bench::eur(kPrice))))),
            CapCode::duplicateRequest);
  EXPECT_EQ(b.issuer.balance(b.w.card.pan), Bench::eur(100000 - kPrice));
}

INSTANTIATE_TEST_SUITE_P(Profiles, CaptureTest, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         profileName);

}  // namespace
}  // namespace setpay::gateway::test
