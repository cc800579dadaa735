#include "protocol/text/scrub.hpp"

#include <gtest/gtest.h>

namespace setpay::protocol {
namespace {

TEST(Luhn, KnownNumbers) {
  EXPECT_TRUE(luhnValid("4111111111111111"));
  EXPECT_TRUE(luhnValid("5555555555554444"));
  EXPECT_TRUE(luhnValid("378282246310005"));
  EXPECT_FALSE(luhnValid("4111111111111112"));
  EXPECT_FALSE(luhnValid(""));
  EXPECT_FALSE(luhnValid("41111111111a1111"));
}

TEST(MaskPans, AnywhereInText) {
  EXPECT_EQ(maskPans("no account for 4111111111111111."), "no account for ************1111.");
  EXPECT_EQ(maskPans("CN=4111111111111111,O=x"), "CN=************1111,O=x");
  EXPECT_EQ(maskPans("pan=5555555555554444"), "pan=************4444");
}

TEST(MaskPans, SeparatedGroupsKeepTheirSeparators) {
  EXPECT_EQ(maskPans("card 4111 1111 1111 1111 ok"), "card **** **** **** 1111 ok");
  EXPECT_EQ(maskPans("4111-1111-1111-1111"), "****-****-****-1111");
}

TEST(MaskPans, LeavesNumbersThatAreNotPans) {
  EXPECT_EQ(maskPans("amount 12950 exp -2, xid 4111111111111112"), "amount 12950 exp -2, xid 4111111111111112");
  EXPECT_EQ(maskPans("2026-12-02T13:26:12Z"), "2026-12-02T13:26:12Z");
  EXPECT_EQ(maskPans("411111111111"), "411111111111");  // 12 digits: too short for a PAN
  EXPECT_EQ(maskPans(""), "");
}

TEST(MaskPans, LongDigitRunsAreMaskedWhole) {
  // A PAN glued to an expiry or another number cannot be told apart: hide all but the last four.
  EXPECT_EQ(maskPans("41111111111111112712"), "****************2712");
}

TEST(EscapeUntrusted, ControlAndHighBytes) {
  EXPECT_EQ(escapeUntrusted("ok \x1b[31mred\n"), "ok \\x1b[31mred\\x0a");
  EXPECT_EQ(escapeUntrusted("a\\b"), "a\\\\b");
  EXPECT_EQ(escapeUntrusted(std::string_view("\x00\xff", 2)), "\\x00\\xff");
  EXPECT_EQ(escapeUntrusted("printable ~"), "printable ~");
}

TEST(SafeText, EscapesThenMasks) {
  EXPECT_EQ(safeText("\x1b]0;4111111111111111\x07"), "\\x1b]0;************1111\\x07");
}

}  // namespace
}  // namespace setpay::protocol
