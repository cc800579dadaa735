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

TEST(SafeText, MasksAndEscapes) {
  EXPECT_EQ(safeText("\x1b]0;4111111111111111\x07"), "\\x1b]0;************1111\\x07");
}

TEST(SafeText, AControlByteBeforeAPanDoesNotHideIt) {
  // Escaping first would turn "\t4111…" into "\x094111…": the run 094111… fails the Luhn check and
  // the PAN would be printed whole.
  EXPECT_EQ(safeText("\t4111111111111111"), "\\x09************1111");
  EXPECT_EQ(safeText("\x01" "5555555555554444\n"), "\\x01************4444\\x0a");
}

TEST(SafeLines, KeepsLineBreaksEscapesTheRestAndMasks) {
  EXPECT_EQ(safeLines("a: 1\nb: \x1b[2J\r\n"), "a: 1\nb: \\x1b[2J\\x0d\n");
  EXPECT_EQ(safeLines("card 4111111111111111\nnext"), "card ************1111\nnext");
  // safeText output passes unchanged: its backslashes are not doubled.
  const std::string value = safeText("\x1b[31m\\");
  EXPECT_EQ(safeLines("field: " + value + "\n"), "field: " + value + "\n");
  EXPECT_EQ(safeLines("caf\xc3\xa9\t"), "caf\\xc3\\xa9\\x09");  // UTF-8 and tabs too
}

}  // namespace
}  // namespace setpay::protocol
