// Issue 12 item 9: the wallet presents the card's brand (the Brand CA above the card's certificate, or
// the wallet's record of it), never simply the merchant's first; a merchant that does not accept it
// gets nothing.
#include <gtest/gtest.h>

#include "tests/roles/roles_fixture.hpp"

namespace setpay::roles_test {
namespace {

using protocol::ErrorCode;
using protocol::ProfileId;

// Every message the wallet sends, decoded, forwarded to the merchant.
struct Recorded {
  std::vector<protocol::MessageWrapper> sent;
  std::function<Bytes(ByteView)> link(Scene& s) {
    return [this, &s](ByteView b) {
      sent.push_back(unwrap(b));
      return s.toMerchant(b);
    };
  }
};

TEST(BrandChoice, TheCardsBrandIsChosenWhereverTheMerchantListsIt) {
  Scene s(ProfileId::set1);
  s.merchantBrands = {"OTHERBRAND", "SETPAY"};  // ours is not the first
  s.rebuild();
  Card card = s.issueCard(luhnPan("497010000000401"), 100'000);
  auto holder = s.cardholder(card);
  Recorded r;
  const auto out = holder.purchase(s.merchant->offer(s.order()), r.link(s));
  ASSERT_TRUE(out.approved()) << out.detail;
  ASSERT_FALSE(r.sent.empty());
  EXPECT_EQ(std::get<protocol::PInitReq>(r.sent.front().message).brandID, "SETPAY");
}

TEST(BrandChoice, AProductOfTheCardsBrandIsChosen) {
  Scene s(ProfileId::set1);
  s.merchantBrands = {"OTHERBRAND:Gold", "SETPAY:Gold"};
  s.rebuild();
  Card card = s.issueCard(luhnPan("497010000000402"), 100'000);
  auto holder = s.cardholder(card);
  Recorded r;
  const auto out = holder.purchase(s.merchant->offer(s.order()), r.link(s));
  ASSERT_TRUE(out.approved()) << out.detail;
  EXPECT_EQ(std::get<protocol::PInitReq>(r.sent.front().message).brandID, "SETPAY:Gold");
}

TEST(BrandChoice, AMerchantThatDoesNotAcceptTheCardsBrandGetsNothing) {
  Scene s(ProfileId::set1);
  s.merchantBrands = {"OTHERBRAND"};
  s.rebuild();
  Card card = s.issueCard(luhnPan("497010000000403"), 100'000);
  auto holder = s.cardholder(card);
  Recorded r;
  const auto out = holder.purchase(s.merchant->offer(s.order()), r.link(s));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(*out.error, ErrorCode::unspecifiedFailure) << out.detail;
  EXPECT_FALSE(out.errorFromMerchant);
  EXPECT_TRUE(r.sent.empty()) << "a PInitReq went out for a brand the card is not";
}

TEST(BrandChoice, TheWalletsRecordOfTheBrandDecidesForACardWithoutCertificate) {
  Scene s(ProfileId::set1);
  s.merchantBrands = {"OTHERBRAND", "SETPAY"};
  s.rebuild();
  const std::string pan = luhnPan("497010000000404");
  Card real = s.issueCard(pan, 100'000);
  wallet::SoftwareCard noCert({pan, real.expiry, Bytes(20, 0)}, std::nullopt);
  Recorded unknown;
  wallet::Cardholder guessing(s.cardholderConfig(), noCert, s.clock, s.random);
  const auto refused = guessing.purchase(s.merchant->offer(s.order()), unknown.link(s));
  ASSERT_TRUE(refused.error);  // no certificate, no record: the wallet does not guess
  EXPECT_TRUE(unknown.sent.empty());

  Recorded recorded;
  wallet::Cardholder holder(s.cardholderConfig("SETPAY"), noCert, s.clock, s.random);
  (void)holder.purchase(s.merchant->offer(s.order()), recorded.link(s));
  ASSERT_FALSE(recorded.sent.empty());
  EXPECT_EQ(std::get<protocol::PInitReq>(recorded.sent.front().message).brandID, "SETPAY");
}

}  // namespace
}  // namespace setpay::roles_test
