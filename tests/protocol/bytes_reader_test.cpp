// protocol::BytesReader / TextReader: every read is checked, a failed read changes nothing, and no read
// goes past the end, whatever sizes are asked for.
#include "protocol/bytes_reader.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace setpay::protocol {
namespace {

TEST(BytesReader, ReadsInOrderAndStopsAtTheEnd) {
  const Bytes in{0x01, 0x02, 0x03, 0x04, 0x05};
  BytesReader r(in);
  std::uint8_t b = 0;
  std::uint16_t w = 0;
  ASSERT_TRUE(r.u8(b));
  EXPECT_EQ(b, 0x01);
  ASSERT_TRUE(r.u16be(w));
  EXPECT_EQ(w, 0x0203);
  EXPECT_EQ(r.offset(), 3u);
  EXPECT_EQ(r.remaining(), 2u);
  ByteView v;
  ASSERT_TRUE(r.bytes(2, v));
  EXPECT_EQ(hex(v), "0405");
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.u8(b));
  EXPECT_EQ(b, 0x01);  // untouched by the failed read
  EXPECT_TRUE(r.bytes(0, v));
  EXPECT_TRUE(v.empty());
}

TEST(BytesReader, FailedReadsLeaveEverythingUnchanged) {
  const Bytes in{0xAA};
  BytesReader r(in);
  std::uint16_t w = 0x1234;
  EXPECT_FALSE(r.u16be(w));  // one byte left: not half a word
  EXPECT_EQ(w, 0x1234);
  ByteView v = in;
  EXPECT_FALSE(r.bytes(2, v));
  EXPECT_EQ(v.size(), 1u);
  EXPECT_FALSE(r.skip(2));
  EXPECT_FALSE(r.bytes(std::numeric_limits<std::size_t>::max(), v));  // no overflow in the bound check
  EXPECT_FALSE(r.skip(std::numeric_limits<std::size_t>::max()));
  EXPECT_EQ(r.remaining(), 1u);
  EXPECT_EQ(r.offset(), 0u);
  EXPECT_FALSE(r.expect(0xAB));
  EXPECT_TRUE(r.expect(0xAA));
  EXPECT_FALSE(r.expect(0xAA));
}

TEST(BytesReader, EmptyInput) {
  BytesReader r(ByteView{});
  std::uint8_t b = 7;
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.peek(b));
  EXPECT_FALSE(r.u8(b));
  EXPECT_EQ(b, 7);
  EXPECT_TRUE(r.skip(0));
  EXPECT_TRUE(r.takeRest().empty());
}

TEST(BytesReader, PeekRestAndTakeRest) {
  const Bytes in{0x10, 0x20, 0x30};
  BytesReader r(in);
  std::uint8_t b = 0;
  ASSERT_TRUE(r.peek(b));
  EXPECT_EQ(b, 0x10);
  EXPECT_EQ(r.offset(), 0u);
  ASSERT_TRUE(r.skip(1));
  EXPECT_EQ(hex(r.rest()), "2030");
  EXPECT_EQ(r.remaining(), 2u);  // rest() does not consume
  EXPECT_EQ(hex(r.takeRest()), "2030");
  EXPECT_TRUE(r.empty());
}

TEST(TextReader, SplitsOnDelimitersWithoutPassingTheEnd) {
  TextReader r("a: b\nlast");
  std::string_view field;
  ASSERT_TRUE(r.untilFirst(':', field));
  EXPECT_EQ(field, "a");
  EXPECT_TRUE(r.expect(':'));
  ASSERT_TRUE(r.untilFirst('\n', field));
  EXPECT_EQ(field, " b");
  EXPECT_TRUE(r.expect('\n'));
  std::string_view none = "unchanged";
  EXPECT_FALSE(r.untilFirst('\n', none));  // no delimiter left: nothing consumed
  EXPECT_EQ(none, "unchanged");
  EXPECT_EQ(r.rest(), "last");
  ASSERT_TRUE(r.untilFirst('l', field));  // delimiter first: an empty piece
  EXPECT_TRUE(field.empty());
  char c = 0;
  ASSERT_TRUE(r.unit(c));
  EXPECT_EQ(c, 'l');
}

TEST(TextReader, NextFieldSplitsLikeStrsep) {
  TextReader r("a=1\n\nb=2");
  std::string_view f;
  ASSERT_TRUE(r.nextField('\n', f));
  EXPECT_EQ(f, "a=1");
  ASSERT_TRUE(r.nextField('\n', f));
  EXPECT_EQ(f, "");
  ASSERT_TRUE(r.nextField('\n', f));  // no delimiter: the rest
  EXPECT_EQ(f, "b=2");
  EXPECT_FALSE(r.nextField('\n', f));
  EXPECT_EQ(f, "b=2");
  TextReader trailing("x\n");
  ASSERT_TRUE(trailing.nextField('\n', f));
  EXPECT_EQ(f, "x");
  EXPECT_FALSE(trailing.nextField('\n', f));  // a final delimiter does not make an empty last field
}

}  // namespace
}  // namespace setpay::protocol
