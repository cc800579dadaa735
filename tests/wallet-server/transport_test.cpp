// A wallet purchase ends in an outcome whatever the transport or the card throws.
#include <gtest/gtest.h>

#include <stdexcept>

#include "tests/roles/roles_fixture.hpp"

namespace setpay::roles_test {
namespace {

TEST(WalletTransport, PurchaseNeverThrowsWhateverTheTransportThrows) {
  Scene s(protocol::ProfileId::set1);
  Card card = s.issueCard(luhnPan("497010000000102"), 100'000);
  auto holder = s.cardholder(card);
  wallet::PurchaseOutcome out;
  ASSERT_NO_THROW(out = holder.purchase(s.merchant->offer(s.order(100)),
                                        [](ByteView) -> Bytes { throw std::runtime_error("connection reset"); }));
  ASSERT_TRUE(out.error.has_value());
  EXPECT_EQ(*out.error, protocol::ErrorCode::unspecifiedFailure);
  EXPECT_FALSE(out.approved());
}

}  // namespace
}  // namespace setpay::roles_test
