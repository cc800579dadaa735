// The merchant's exchange with the gateway, split as a service runs it (issue 8): handle() makes the
// AuthReq and holds nothing while the gateway answers; processAuthRes() settles the purchase. Issue 12
// item 12: only an authenticated answer settles it — an Error signed by anyone but a gateway, an
// unsigned one, or no answer at all leaves the purchase authorizing, and the AuthReq kept with it can
// be sent again (the gateway answers a repeat with the same AuthRes).
#include <gtest/gtest.h>

#include "tests/support/thrown.hpp"

#include <stdexcept>

#include "protocol/messages/codec.hpp"
#include "protocol/messages/sealed.hpp"
#include "tests/merchant/merchant_support.hpp"

namespace setpay::roles_test {
namespace {

using protocol::CompletionCode;
using protocol::ErrorCode;
using protocol::ProfileId;
using merchant::TransactionState;
namespace pki = protocol::pki;

constexpr std::int64_t kBalance = 100'000;
constexpr std::int64_t kAmount = 4250;

// An Error answering `authReq`, signed by `signer` (with every CA certificate and CRL) or unsigned.
Bytes errorFrom(Scene& s, ByteView authReq, ErrorCode code, const pki::Credential* signer) {
  const auto req = unwrap(authReq);
  protocol::ErrorTBS tbs;
  tbs.errorCode = static_cast<int>(code);
  tbs.errorNonce = s.random.bytes(protocol::limits::nonce);
  tbs.errorMsg = req.messageHeader;
  protocol::Error error{tbs};
  if (signer) {
    protocol::SoftwareSigner key(pki::share(signer->cert.get()), pki::share(signer->key.get()));
    protocol::SignOptions chain;
    for (const auto* ca : {&s.w.h.brand, &s.w.h.cca, &s.w.h.mca, &s.w.h.pca}) chain.extra.certificates.push_back(ca->cert.get());
    for (const auto& crl : s.crls) chain.extra.crls.push_back(crl.get());
    error = protocol::buildSignedError(s.w.profile, key, s.clock, tbs, chain);
  }
  return rewrap(protocol::MessageWrapper{req.messageHeader, error, {}});
}

struct Started {
  Card card;
  wallet::Cardholder holder;
  Bytes pReq;
};
Started start(Scene& s, const std::string& pan) {
  Card card = s.issueCard(pan, kBalance);
  auto holder = s.cardholder(card);
  Bytes pReq = holder.processPInitRes(s.toMerchant(holder.pInitReq(s.merchant->offer(s.order(kAmount)))));
  return Started{std::move(card), std::move(holder), std::move(pReq)};
}

ErrorCode merchantErrorOf(wallet::Cardholder& holder, ByteView answer) {
  try {
    (void)holder.processPRes(answer);
  } catch (const wallet::MerchantError& e) {
    return e.code();
  }
  ADD_FAILURE() << "the merchant did not answer with an Error";
  return ErrorCode::unspecifiedFailure;
}

class GatewayAnswer : public ::testing::TestWithParam<ProfileId> {};

TEST_P(GatewayAnswer, HandleReturnsTheAuthReqAndProcessAuthResTheAnswer) {
  Scene s(GetParam());
  auto p = start(s, luhnPan("497010000000801"));
  const merchant::MerchantStep step = s.merchant->handle(p.pReq);
  ASSERT_TRUE(step.toGateway);
  EXPECT_TRUE(step.toCardholder.empty());
  EXPECT_EQ(step.toGateway->xid, p.holder.transIDs()->xid);
  EXPECT_TRUE(std::holds_alternative<protocol::AuthReq>(unwrap(step.toGateway->authReq).message));
  const auto tx = s.merchantStore.findTransaction(step.toGateway->xid);
  ASSERT_EQ(tx->stateKind(), TransactionState::authorizing);  // Chall-M consumed before the AuthReq leaves
  EXPECT_EQ(std::get<merchant::Authorizing>(tx->state).authReq, step.toGateway->authReq);
  EXPECT_EQ(errorCodeIn(s, s.merchant->handle(p.pReq).toCardholder), ErrorCode::challengeMismatch);  // replayed

  const Bytes pRes = s.merchant->processAuthRes(step.toGateway->xid, s.toGateway(step.toGateway->authReq));
  EXPECT_TRUE(p.holder.processPRes(pRes).approved());
  EXPECT_TRUE(s.merchantStore.findTransaction(step.toGateway->xid)->paid());
  EXPECT_EQ(test_support::thrownCode([&] { (void)s.merchant->processAuthRes(step.toGateway->xid, s.authRess[0]); }),
            ErrorCode::unknownRRPID);  // settled: no AuthReq awaits an answer
  EXPECT_EQ(s.issuer.available(p.card.pan).amount, kBalance - kAmount);
}

TEST_P(GatewayAnswer, AnErrorNotSignedByAGatewayLeavesThePurchaseAuthorizing) {
  Scene s(GetParam());
  std::vector<Bytes> forged;
  // Someone on the merchant's link answers instead of the gateway: with an Error signed by a valid SET
  // certificate that is not a gateway's (the merchant's own), then with an unsigned one.
  s.gatewayLink = [&](ByteView authReq) {
    forged.push_back(errorFrom(s, authReq, ErrorCode::revokedCertificate,
                               forged.empty() ? &s.w.h.merchantSignature : nullptr));
    return forged.back();
  };
  auto p = start(s, luhnPan("497010000000802"));
  EXPECT_EQ(merchantErrorOf(p.holder, s.toMerchant(p.pReq)), ErrorCode::unspecifiedFailure);
  const Bytes xid = p.holder.transIDs()->xid;
  auto tx = s.merchantStore.findTransaction(xid);
  ASSERT_EQ(tx->stateKind(), TransactionState::authorizing);
  const Bytes authReq = std::get<merchant::Authorizing>(tx->state).authReq;
  EXPECT_EQ(errorCodeIn(s, s.merchant->processAuthRes(xid, errorFrom(s, authReq, ErrorCode::revokedCertificate, nullptr))),
            ErrorCode::unspecifiedFailure);
  EXPECT_EQ(s.merchantStore.findTransaction(xid)->stateKind(), TransactionState::authorizing);
  // The cardholder asking meanwhile learns the order was received, not that it failed.
  EXPECT_EQ(p.holder.inquire([&](ByteView b) { return s.toMerchant(b); }).completionCode, CompletionCode::orderReceived);

  // The AuthReq kept with the purchase, sent to the real gateway, settles it.
  const Bytes pRes = s.merchant->processAuthRes(xid, s.toGateway(authReq));
  EXPECT_FALSE(errorIn(s, pRes));
  EXPECT_TRUE(s.merchantStore.findTransaction(xid)->paid());
  EXPECT_EQ(s.issuer.available(p.card.pan).amount, kBalance - kAmount);
}

TEST_P(GatewayAnswer, NoAnswerLeavesThePurchaseAuthorizingAndTheSameAuthReqSettlesIt) {
  Scene s(GetParam());
  int attempts = 0;
  s.gatewayLink = [&](ByteView authReq) -> Bytes {
    ++attempts;
    (void)s.toGateway(authReq);  // the gateway authorizes, but its answer is lost on the way back
    throw std::runtime_error("connection reset");
  };
  auto p = start(s, luhnPan("497010000000803"));
  EXPECT_EQ(merchantErrorOf(p.holder, s.toMerchant(p.pReq)), ErrorCode::unspecifiedFailure);
  EXPECT_EQ(attempts, 1);
  const Bytes xid = p.holder.transIDs()->xid;
  const auto tx = s.merchantStore.findTransaction(xid);
  ASSERT_EQ(tx->stateKind(), TransactionState::authorizing);
  // Sent again: the gateway's replay cache gives the same AuthRes; the issuer is not asked twice.
  const Bytes again = s.toGateway(std::get<merchant::Authorizing>(tx->state).authReq);
  EXPECT_EQ(again, s.authRess.front());
  EXPECT_FALSE(errorIn(s, s.merchant->processAuthRes(xid, again)));
  EXPECT_TRUE(s.merchantStore.findTransaction(xid)->paid());
  EXPECT_EQ(s.issuer.available(p.card.pan).amount, kBalance - kAmount);
}

TEST_P(GatewayAnswer, TheGatewaysOwnErrorEndsThePurchaseAndTheOrderMayBeTriedAgain) {
  Scene s(GetParam());
  // The AuthReq reaches the gateway an hour late: it refuses it (messageTooOld), signed.
  s.gatewayLink = [&](ByteView authReq) {
    s.clock.advance(std::chrono::hours(1));
    return s.toGateway(authReq);
  };
  Card card = s.issueCard(luhnPan("497010000000804"), kBalance);
  auto holder = s.cardholder(card);
  const auto wakeUp = s.merchant->offer(s.order(kAmount));
  const Bytes pReq = holder.processPInitRes(s.toMerchant(holder.pInitReq(wakeUp)));
  EXPECT_EQ(merchantErrorOf(holder, s.toMerchant(pReq)), ErrorCode::messageTooOld);
  const auto tx = s.merchantStore.findTransaction(holder.transIDs()->xid);
  ASSERT_EQ(tx->stateKind(), TransactionState::failed);
  EXPECT_EQ(std::get<merchant::Failed>(tx->state).error, ErrorCode::messageTooOld);

  s.gatewayLink = {};
  auto again = s.cardholder(card);
  EXPECT_TRUE(again.purchase(wakeUp, [&](ByteView b) { return s.toMerchant(b); }).approved());
}

TEST_P(GatewayAnswer, ARetriedPReqGetsTheKeptAuthReqUntilThePurchaseIsSettled) {
  Scene s(GetParam());
  s.gatewayLink = [](ByteView) -> Bytes { throw std::runtime_error("gateway unreachable"); };
  auto p = start(s, luhnPan("497010000000805"));
  EXPECT_EQ(merchantErrorOf(p.holder, s.toMerchant(p.pReq)), ErrorCode::unspecifiedFailure);
  const Bytes xid = p.holder.transIDs()->xid;
  const auto tx = s.merchantStore.findTransaction(xid);
  ASSERT_EQ(tx->stateKind(), TransactionState::authorizing);

  // The same PReq again: the AuthReq kept with the purchase, byte for byte; anything else: nothing.
  const auto again = s.merchant->pendingAuthorization(p.pReq);
  ASSERT_TRUE(again);
  EXPECT_FALSE(s.merchant->repeatedAnswer(p.pReq)) << "nothing answered yet";
  EXPECT_EQ(again->xid, xid);
  EXPECT_EQ(again->authReq, std::get<merchant::Authorizing>(tx->state).authReq);
  EXPECT_FALSE(s.merchant->pendingAuthorization(protocol::toBytes("not DER")));
  auto other = start(s, luhnPan("497010000000806"));  // another purchase, still awaiting its PReq
  EXPECT_FALSE(s.merchant->pendingAuthorization(other.pReq));

  const Bytes pRes = s.merchant->processAuthRes(xid, s.toGateway(again->authReq));
  EXPECT_FALSE(errorIn(s, pRes));
  EXPECT_TRUE(s.merchantStore.findTransaction(xid)->paid());
  EXPECT_FALSE(s.merchant->pendingAuthorization(p.pReq)) << "settled: nothing to send again";
  // Settled: the same PReq gets the PRes again (same content), the gateway is not asked again.
  const auto repeated = s.merchant->repeatedAnswer(p.pReq);
  ASSERT_TRUE(repeated);
  EXPECT_TRUE(std::holds_alternative<protocol::PRes>(unwrap(*repeated).message));
  EXPECT_FALSE(s.merchant->repeatedAnswer(other.pReq));
  const std::size_t asked = s.authReqs.size();
  EXPECT_EQ(errorCodeIn(s, s.merchant->handle(p.pReq).toCardholder), ErrorCode::challengeMismatch) << "handle() alone refuses it";
  EXPECT_EQ(s.authReqs.size(), asked);
  EXPECT_EQ(s.issuer.available(p.card.pan).amount, kBalance - kAmount);
}

TEST_P(GatewayAnswer, CaptureRequestCapturesTheAuthorizedAmountOnce) {
  Scene s(GetParam());
  auto p = start(s, luhnPan("497010000000807"));
  ASSERT_TRUE(p.holder.processPRes(s.toMerchant(p.pReq)).approved());
  const auto tx = s.merchantStore.findTransaction(p.holder.transIDs()->xid);
  ASSERT_TRUE(tx->paid());

  const merchant::CaptureRequest request = s.merchant->captureRequest(*tx);
  EXPECT_TRUE(std::holds_alternative<protocol::CapReq>(unwrap(request.capReq).message));
  const Bytes capRes = s.toGateway(request.capReq);
  ASSERT_FALSE(errorIn(s, capRes)) << static_cast<int>(errorCodeIn(s, capRes));
  const protocol::CapResPayload captured = s.merchant->processCapRes(request, capRes);
  EXPECT_EQ(captured.capCode, protocol::CapCode::success);
  EXPECT_EQ(captured.capAmt, s.order(kAmount).amount);
  // A second CapReq for the same authorization: the gateway says it was captured already.
  const merchant::CaptureRequest second = s.merchant->captureRequest(*tx);
  EXPECT_EQ(s.merchant->processCapRes(second, s.toGateway(second.capReq)).capCode, protocol::CapCode::duplicateRequest);
  // Answers to another CapReq are not taken.
  EXPECT_EQ(test_support::thrownCode([&] { (void)s.merchant->processCapRes(request, s.toGateway(second.capReq)); }),
            ErrorCode::unknownRRPID);

  // Nothing to capture in a purchase still awaiting its PReq.
  auto waiting = start(s, luhnPan("497010000000808"));
  const auto open = s.merchantStore.findTransaction(waiting.holder.transIDs()->xid);
  EXPECT_EQ(test_support::thrownCode([&] { (void)s.merchant->captureRequest(*open); }), ErrorCode::unspecifiedFailure);
}

std::string profileName(const ::testing::TestParamInfo<ProfileId>& p) { return p.param == ProfileId::set1 ? "set1" : "modern"; }
INSTANTIATE_TEST_SUITE_P(Profiles, GatewayAnswer, ::testing::Values(ProfileId::set1, ProfileId::modern), profileName);

}  // namespace
}  // namespace setpay::roles_test
