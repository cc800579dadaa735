// AuthReq → AuthRes through PaymentGateway::handle, both profiles: the approval path and each refusal
// with its exact AuthCode (business) or ErrorCode (protocol).
#include <gtest/gtest.h>

#include "protocol/crypto/digest.hpp"
#include "protocol/messages/hardening.hpp"
#include "protocol/purchase/derivations.hpp"
#include "tests/gateway/gateway_fixture.hpp"
#include "tests/support/thrown.hpp"

namespace setpay::gateway::test {
namespace {

class AuthReqTest : public ::testing::TestWithParam<ProfileId> {};

constexpr std::int64_t kPrice = 12950;  // 129.50 EUR; accounts hold 1000.00, limit 500.00

AuthCode codeOf(const OpenedAuthRes& r) { return r.data.authResPayload.authHeader.authCode; }
ErrorCode codeOf(const ErrorTBS& e) { return static_cast<ErrorCode>(e.errorCode); }

TEST_P(AuthReqTest, ApprovesAGenuineDualSignedPurchaseAndHoldsTheAmountOnce) {
  Bench b(GetParam());
  const Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  const OpenedAuthRes res = b.authRes(b.gateway->handle(b.authReq(p)));

  const AuthHeader& header = res.data.authResPayload.authHeader;
  EXPECT_EQ(header.authCode, AuthCode::approved);
  EXPECT_EQ(header.authAmt, Bench::eur(kPrice));
  ASSERT_TRUE(header.responseData.authValCodes && header.responseData.authValCodes->approvalCode);
  EXPECT_EQ(header.responseData.authValCodes->approvalCode->size(), 6u);
  EXPECT_EQ(res.data.authTags, p.authReqData.authReqItem.authTags);  // copied
  EXPECT_EQ(X509_cmp(res.signature.signer.get(), b.w.h.gatewaySignature.cert.get()), 0);
  ASSERT_TRUE(res.baggage.capToken);
  EXPECT_EQ(res.baggage.capToken->kind, CapToken::Kind::enc);
  EXPECT_FALSE(res.data.authResPayload.capResPayload);  // no CaptureNow
  // Merchant identity extension exactly when hardened (open() above already checked its content).
  EXPECT_EQ(findMerchantIdentity(res.data.authResPayload.aRsExtensions).has_value(),
            b.w.profile.hardeningByDefault());
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000 - kPrice));
  EXPECT_EQ(b.issuer.balance(b.w.card.pan), Bench::eur(100000));  // held, not yet captured
}

TEST_P(AuthReqTest, GatewayThumbExtensionIsInThePIExactlyWhenHardened) {
  // set1: SET 1.0 exactly, the PI carries no extension and is accepted (previous test); modern: it names
  // our Cert-PE.
  Bench b(GetParam());
  const Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  const OpenedPI opened = open(b.w.profile, b.w.h.gatewayKeyExchange.key.get(), b.w.h.gatewayKeyExchange.cert.get(), p.pi);
  const auto thumb = findGatewayThumb(opened.piHead->piExtensions);
  if (b.w.profile.hardeningByDefault()) {
    ASSERT_TRUE(thumb);
    EXPECT_EQ(*thumb, thumbprint(b.w.profile, ossl::der(b.w.h.gatewayKeyExchange.cert.get())));
  } else {
    EXPECT_FALSE(thumb);
  }
  EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(p)))), AuthCode::approved);
}

TEST_P(AuthReqTest, ReplayedAuthReqGetsTheSameAuthResBytesAndNoSecondHold) {
  Bench b(GetParam());
  const Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  const Bytes request = b.authReq(p);
  const Bytes first = b.gateway->handle(request);
  ASSERT_EQ(codeOf(b.authRes(first)), AuthCode::approved);
  EXPECT_EQ(b.gateway->handle(request), first);
  // The merchant re-encrypting the same AuthReq (new envelope, same content) is the same request.
  EXPECT_EQ(b.gateway->handle(b.authReq(p)), first);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000 - kPrice));
}

// decide() / build() / record() (the service's group commit): a copy of an AuthReq decided while its
// twin's AuthRes is not yet recorded waits (later()), and once the twin is recorded gets its bytes.
TEST_P(AuthReqTest, AnAuthReqDecidedWhileItsTwinIsSignedWaitsForTheTwinsBytes) {
  Bench b(GetParam());
  const Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  const Bytes request = b.authReq(p);
  PaymentGateway::Prepared first = b.gateway->prepare(request), twin = b.gateway->prepare(request);
  PaymentGateway::Decided decided = b.gateway->decide(first);
  ASSERT_FALSE(decided.later());
  ASSERT_FALSE(decided.refused());
  EXPECT_TRUE(b.gateway->decide(twin).later()) << "decided, not recorded: the twin must wait";
  b.gateway->build(decided);
  const Bytes authRes = b.gateway->record(std::move(decided));
  ASSERT_EQ(codeOf(b.authRes(authRes)), AuthCode::approved);
  PaymentGateway::Decided again = b.gateway->decide(twin);
  ASSERT_FALSE(again.later());
  b.gateway->build(again);
  EXPECT_EQ(b.gateway->record(std::move(again)), authRes);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000 - kPrice)) << "held once";
}

TEST_P(AuthReqTest, SameRRPIDForADifferentRequestIsRefused) {
  Bench b(GetParam());
  const Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  ASSERT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(p)))), AuthCode::approved);
  AuthReqData changed = p.authReqData;
  changed.authReqItem.authReqPayload.authReqAmt = Bench::eur(kPrice - 100);
  EXPECT_EQ(codeOf(b.error(b.gateway->handle(b.authReqWith(changed, p.pi)))), ErrorCode::unknownRRPID);
}

TEST_P(AuthReqTest, ReusedPIUnderANewRRPIDIsPreviouslyUsed) {
  Bench b(GetParam());
  Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  ASSERT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(p)))), AuthCode::approved);
  p.authReqData = b.authReqData(p, Bench::eur(kPrice));  // new RRPID, same PI
  EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(p)))), AuthCode::piPreviouslyUsed);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000 - kPrice));
}

TEST_P(AuthReqTest, TamperedPISignatureIsASignatureFailure) {
  Bench b(GetParam());
  Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  auto& dual = std::get<PIDualSigned>(p.pi.value);
  dual.piSignature.back() ^= 0x01;  // last octet of the signature value
  EXPECT_EQ(codeOf(b.error(b.gateway->handle(b.authReq(p)))), ErrorCode::signatureFailure);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000));
}

TEST_P(AuthReqTest, TamperedPIEnvelopeIsADecodingFailure) {
  // The flipped octet is in the last two cipher blocks, which hold the end of L(PI-OILink, DD(PANData)):
  // the padding or DD(PANData) no longer checks out, and every way an envelope fails to open is the one
  // uniform decodingFailure (no padding or MAC oracle). The PI never reaches the dual-signature check,
  // so signatureFailure is not a possible outcome: the code is pinned.
  Bench b(GetParam());
  Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  auto& dual = std::get<PIDualSigned>(p.pi.value);
  dual.exPIData[dual.exPIData.size() - 20] ^= 0x01;  // inside the symmetric ciphertext
  EXPECT_EQ(codeOf(b.error(b.gateway->handle(b.authReq(p)))), ErrorCode::decodingFailure);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000));
}

TEST_P(AuthReqTest, PISwappedFromAnotherPurchaseIsPiAuthMismatch) {
  Bench b(GetParam());
  const Purchase a = b.purchase(b.w.card, Bench::eur(kPrice));
  const Purchase other = b.purchase(b.w.card, Bench::eur(kPrice));
  EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReqWith(a.authReqData, other.pi)))), AuthCode::piAuthMismatch);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000));
}

TEST_P(AuthReqTest, CheckDigestsOfAnotherOrderArePiAuthMismatch) {
  Bench b(GetParam());
  Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  HODInput otherOrder = p.hod;
  otherOrder.od = toBytes("1 x something else");
  p.authReqData.authReqItem.checkDigests->hod2 = hod(b.w.profile, otherOrder);
  EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(p)))), AuthCode::piAuthMismatch);
  Purchase q = b.purchase(b.w.card, Bench::eur(kPrice));
  OIData otherOI = q.oi;
  otherOI.challM = b.random.bytes(20);
  q.authReqData.authReqItem.checkDigests->hOIData = hOIData(b.w.profile, otherOI);
  EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(q)))), AuthCode::piAuthMismatch);
}

TEST_P(AuthReqTest, PIThatDoesNotMatchItsCertificateOrMerchantIsPiAuthMismatch) {
  Bench b(GetParam());
  auto handled = [&](const Bench::Tweak& tweak) {
    return codeOf(b.authRes(b.gateway->handle(b.authReq(b.purchase(b.w.card, Bench::eur(kPrice), nullptr, tweak)))));
  };
  // Someone else's PAN (an account that exists) under this cardholder's certificate and secret.
  EXPECT_EQ(handled([&](PIHead&, PANData& pan) { pan.pan = b.w.revokedCard.pan; }), AuthCode::piAuthMismatch);
  // A TransStain not made from this XID and PANSecret.
  EXPECT_EQ(handled([&](PIHead& head, PANData&) { head.transStain = transStain(b.w.profile, b.random.bytes(20), b.w.card.holder.panSecret); }),
            AuthCode::piAuthMismatch);
  // A PI made out to another merchant.
  EXPECT_EQ(handled([](PIHead& head, PANData&) { head.merchantID = "ANOTHER-SHOP"; }), AuthCode::piAuthMismatch);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000));
  EXPECT_EQ(b.issuer.available(b.w.revokedCard.pan), Bench::eur(100000));
}

TEST_P(AuthReqTest, MerchantRaisingTheAmountIsAmountError) {
  Bench b(GetParam());
  Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  p.authReqData.authReqItem.authReqPayload.authReqAmt = Bench::eur(kPrice + 1);
  const OpenedAuthRes res = b.authRes(b.gateway->handle(b.authReq(p)));
  EXPECT_EQ(codeOf(res), AuthCode::amountError);
  EXPECT_FALSE(res.baggage.capToken);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000));
}

TEST_P(AuthReqTest, ALowerAmountInAnotherExponentIsAuthorizedAsAsked) {
  Bench b(GetParam());
  Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  p.authReqData.authReqItem.authReqPayload.authReqAmt = CurrencyAmount{978, 100, 0};  // 100 EUR
  const OpenedAuthRes res = b.authRes(b.gateway->handle(b.authReq(p)));
  EXPECT_EQ(codeOf(res), AuthCode::approved);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000 - 10000));
}

TEST_P(AuthReqTest, AmountToleranceIsExact) {
  Bench b(GetParam(), BenchOptions{.amountTolerancePercent = 10});  // up to 142.45 for 129.50
  Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  p.authReqData.authReqItem.authReqPayload.authReqAmt = CurrencyAmount{978, 142460, -3};  // 142.46
  EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(p)))), AuthCode::amountError);
  p.authReqData = b.authReqData(p, CurrencyAmount{978, 142450, -3});  // 142.45
  EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(p)))), AuthCode::approved);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000 - 14245));
  Purchase usd = b.purchase(b.w.card, Bench::eur(kPrice));
  usd.authReqData.authReqItem.authReqPayload.authReqAmt = CurrencyAmount{840, kPrice, -2};
  EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(usd)))), AuthCode::amountError);
}

TEST_P(AuthReqTest, MerchantClaimingAnotherMerchantIDIsInvalidCertificate) {
  Bench b(GetParam());
  Purchase p = b.purchase(b.w.card, Bench::eur(kPrice));
  p.authReqData.authReqItem.authTags.authRRTags.merTermIDs.merchantID = "ANOTHER-SHOP";
  const ErrorTBS e = b.error(b.gateway->handle(b.authReq(p)));
  EXPECT_EQ(codeOf(e), ErrorCode::invalidCertificate);
  ASSERT_TRUE(e.errorThumb);
  EXPECT_EQ(*e.errorThumb, thumbprint(b.w.profile, ossl::der(b.w.h.merchantSignature.cert.get())));
}

TEST_P(AuthReqTest, HardeningMustFollowTheProfile) {
  Bench b(GetParam());
  GatewayConfig config = b.config({});
  config.hardening = !config.hardening;
  EXPECT_EQ(test_support::thrownMessage<ProtocolError>(
                [&] { PaymentGateway(std::move(config), b.store, b.issuer, b.clock, b.random); }),
            "unspecifiedFailure: GatewayConfig.hardening must follow the profile");
}

TEST_P(AuthReqTest, BlockedCardIsDeclined) {
  Bench b(GetParam());
  b.issuer.block(b.w.card.pan);
  const OpenedAuthRes res = b.authRes(b.gateway->handle(b.authReq(b.purchase(b.w.card, Bench::eur(kPrice)))));
  EXPECT_EQ(codeOf(res), AuthCode::declined);
  EXPECT_EQ(res.data.authResPayload.authHeader.responseData.respReason, respReason::restrictedCard);
  EXPECT_EQ(res.data.authResPayload.authHeader.authAmt.amount, 0);
  EXPECT_FALSE(res.baggage.capToken);
}

TEST_P(AuthReqTest, InsufficientFundsAndOverLimitAreDeclined) {
  Bench b(GetParam());
  b.issuer.openAccount(b.w.card.pan, Bench::eur(5000), Bench::eur(50000), b.w.card.expiry);  // 50.00 left
  OpenedAuthRes res = b.authRes(b.gateway->handle(b.authReq(b.purchase(b.w.card, Bench::eur(kPrice)))));
  EXPECT_EQ(codeOf(res), AuthCode::declined);
  EXPECT_EQ(res.data.authResPayload.authHeader.responseData.respReason, respReason::insufficientFunds);
  b.issuer.openAccount(b.w.card.pan, Bench::eur(100000), Bench::eur(10000), b.w.card.expiry);  // limit 100.00
  res = b.authRes(b.gateway->handle(b.authReq(b.purchase(b.w.card, Bench::eur(kPrice)))));
  EXPECT_EQ(codeOf(res), AuthCode::declined);
  EXPECT_EQ(res.data.authResPayload.authHeader.responseData.respReason, respReason::overLimit);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000));
}

TEST_P(AuthReqTest, CardOfAnotherBrandIsCardMerchBrandMismatch) {
  Bench b(GetParam());
  const OpenedAuthRes res =
      b.authRes(b.gateway->handle(b.authReq(b.purchase(b.w.otherBrandCard, Bench::eur(kPrice)))));
  EXPECT_EQ(codeOf(res), AuthCode::cardMerchBrandMismatch);
  EXPECT_EQ(b.issuer.available(b.w.otherBrandCard.pan), Bench::eur(100000));
}

TEST_P(AuthReqTest, ExpiredCardholderCertificateIsExpiredCertificate) {
  // shortCard expires end of January 2026, and its certificate with it; the bench runs in February.
  Bench b(GetParam(), BenchOptions{.after = std::chrono::hours(24 * 40)});
  const ErrorTBS e = b.error(b.gateway->handle(b.authReq(b.purchase(b.w.shortCard, Bench::eur(kPrice)))));
  EXPECT_EQ(codeOf(e), ErrorCode::expiredCertificate);
  ASSERT_TRUE(e.errorThumb);  // names the cardholder certificate
  EXPECT_EQ(*e.errorThumb, thumbprint(b.w.profile, ossl::der(b.w.shortCard.holder.credential.cert.get())));
  // The same card a month earlier is fine.
  Bench before(GetParam());
  EXPECT_EQ(codeOf(before.authRes(before.gateway->handle(before.authReq(before.purchase(b.w.shortCard, Bench::eur(kPrice)))))),
            AuthCode::approved);
}

TEST_P(AuthReqTest, RevokedCardholderCertificateIsRevokedCertificate) {
  Bench b(GetParam());
  const ErrorTBS e = b.error(b.gateway->handle(b.authReq(b.purchase(b.w.revokedCard, Bench::eur(kPrice)))));
  EXPECT_EQ(codeOf(e), ErrorCode::revokedCertificate);
  EXPECT_EQ(b.issuer.available(b.w.revokedCard.pan), Bench::eur(100000));
}

TEST_P(AuthReqTest, CardholderCertificateSigningAsMerchantIsInvalidCertificate) {
  Bench b(GetParam());
  SoftwareSigner impostor = b.signerFor(b.w.card);
  const ErrorTBS e = b.error(b.gateway->handle(b.authReq(b.purchase(b.w.card, Bench::eur(kPrice)), &impostor)));
  EXPECT_EQ(codeOf(e), ErrorCode::invalidCertificate);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000));
}

TEST_P(AuthReqTest, UnsignedPReqWhenSignaturesAreRequiredIsSignatureRequired) {
  Bench b(GetParam());
  const OpenedAuthRes res = b.authRes(b.gateway->handle(b.authReq(b.unsignedPurchase(b.w.card, Bench::eur(kPrice)))));
  EXPECT_EQ(codeOf(res), AuthCode::signatureRequired);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000));
}

TEST_P(AuthReqTest, UnsignedPReqIsAuthorizedWhenAllowedUnlessTheCardExpired) {
  Bench b(GetParam(), BenchOptions{.requireCardholderSignature = false});
  EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(b.unsignedPurchase(b.w.card, Bench::eur(kPrice)))))),
            AuthCode::approved);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000 - kPrice));
  Bench later(GetParam(), BenchOptions{.requireCardholderSignature = false, .after = std::chrono::hours(24 * 40)});
  EXPECT_EQ(codeOf(later.authRes(later.gateway->handle(later.authReq(later.unsignedPurchase(b.w.shortCard, Bench::eur(kPrice)))))),
            AuthCode::expiredCard);
}

TEST_P(AuthReqTest, PIForAnotherGatewayCertificateIsRefusedByName) {
  Bench b(GetParam());
  const X509* other = b.w.otherGatewayKeyExchange.get();
  if (b.w.profile.hardeningByDefault()) {
    // Encrypted for a Cert-PE that carries our key but is not our certificate: thumbsMismatch.
    const ErrorTBS e = b.error(b.gateway->handle(b.authReq(b.purchase(b.w.card, Bench::eur(kPrice), other))));
    EXPECT_EQ(codeOf(e), ErrorCode::thumbsMismatch);
  } else {
    // SET 1.0 has no such binding: without the extension the same PI is accepted (the gap the
    // hardening closes).
    EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(b.purchase(b.w.card, Bench::eur(kPrice), other))))),
              AuthCode::approved);
  }
  EXPECT_EQ(b.issuer.available(b.w.card.pan),
            Bench::eur(b.w.profile.hardeningByDefault() ? 100000 : 100000 - kPrice));
}

// Issue 12 item 11: a PI that carries the gateway-thumbprint extension is judged by what it names, in
// either profile (set1 neither adds nor requires it, SPEC-CHOICES "## gateway"): our Cert-PE is
// accepted, another is thumbsMismatch.
TEST_P(AuthReqTest, PINamingACertPEIsJudgedByTheNameInEitherProfile) {
  Bench b(GetParam());
  const Bytes ours = thumbprint(b.w.profile, ossl::der(b.w.h.gatewayKeyExchange.cert.get()));
  const Bytes theirs = thumbprint(b.w.profile, ossl::der(b.w.otherGatewayKeyExchange.get()));
  const auto naming = [&](const Bytes& thumb) {
    return b.purchase(b.w.card, Bench::eur(kPrice), nullptr, [&](PIHead& head, PANData&) {
      head.piExtensions.clear();
      head.piExtensions.push_back(gatewayThumbExtension(thumb));
    });
  };
  EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(naming(ours))))), AuthCode::approved);
  EXPECT_EQ(codeOf(b.error(b.gateway->handle(b.authReq(naming(theirs))))), ErrorCode::thumbsMismatch);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000 - kPrice));
}

// Issue 12 item 10: the TransIDs of AuthTags must be those the cardholder signed in PIHead, field by
// field — an AuthReq that drops LID-M (or changes PReqDate) is not the purchase the PI authorizes.
TEST_P(AuthReqTest, AuthTagsThatDropOrChangeASignedTransIDsFieldArePiAuthMismatch) {
  Bench b(GetParam());
  Purchase dropped = b.purchase(b.w.card, Bench::eur(kPrice));
  ASSERT_TRUE(dropped.head.transIDs.lidM);
  dropped.authReqData.authReqItem.authTags.transIDs.lidM.reset();
  EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(dropped)))), AuthCode::piAuthMismatch);
  Purchase redated = b.purchase(b.w.card, Bench::eur(kPrice));
  redated.authReqData.authReqItem.authTags.transIDs.pReqDate -= std::chrono::minutes(5);
  EXPECT_EQ(codeOf(b.authRes(b.gateway->handle(b.authReq(redated)))), AuthCode::piAuthMismatch);
  EXPECT_EQ(b.issuer.available(b.w.card.pan), Bench::eur(100000));
}

TEST_P(AuthReqTest, MerchantKeyExchangeCertificateCarriedInTheAuthReqIsUsed) {
  Bench unregistered(GetParam(), BenchOptions{.registerMerchantKeyExchange = false});
  const Purchase p = unregistered.purchase(unregistered.w.card, Bench::eur(kPrice));
  // Without Cert-MK the gateway cannot encrypt the AuthRes.
  EXPECT_EQ(codeOf(unregistered.error(unregistered.gateway->handle(unregistered.authReq(p)))),
            ErrorCode::missingCertificate);
  const Purchase q = unregistered.purchase(unregistered.w.card, Bench::eur(kPrice));
  EXPECT_EQ(codeOf(unregistered.authRes(unregistered.gateway->handle(unregistered.authReq(q, nullptr, true)))),
            AuthCode::approved);
}

TEST_P(AuthReqTest, StaleAuthReqIsMessageTooOld) {
  Bench b(GetParam());
  const Bytes request = b.authReq(b.purchase(b.w.card, Bench::eur(kPrice)));
  b.clock.advance(std::chrono::hours(1));
  EXPECT_EQ(codeOf(b.error(b.gateway->handle(request))), ErrorCode::messageTooOld);
}

TEST_P(AuthReqTest, NonRequestsAndGarbageGetErrorsButErrorsGetNothing) {
  Bench b(GetParam());
  EXPECT_EQ(codeOf(b.error(b.gateway->handle(toBytes("not DER at all")))), ErrorCode::decodingFailure);
  MessageHeader h;
  h.date = b.clock.now();
  h.swIdent = "test";
  PInitReq pinit{b.random.bytes(20), "en", toBytes("wallet-1"), std::nullopt, b.random.bytes(20), "SETPAY", "411111",
                 std::nullopt, {}};
  const Bytes pinitWrapper = encode(MessageWrapper{h, pinit, {}});
  const Bytes errorReply = b.gateway->handle(pinitWrapper);
  EXPECT_EQ(codeOf(b.error(errorReply)), ErrorCode::messageNotSupported);
  EXPECT_TRUE(b.gateway->handle(errorReply).empty());  // never an Error for an Error
}

INSTANTIATE_TEST_SUITE_P(Profiles, AuthReqTest, ::testing::Values(ProfileId::set1, ProfileId::modern),
                         profileName);

}  // namespace
}  // namespace setpay::gateway::test
