#include "gateway/jsonrpc/line_framer.h"

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

using Lines = std::vector<std::string>;

TEST(LineFramerTest, SplitsLinesAcrossReads) {
  LineFramer framer(100);
  Lines lines;
  EXPECT_EQ(framer.Append("{\"a\":1}\n{\"b\"", lines), 0u);
  EXPECT_EQ(lines, (Lines{"{\"a\":1}"}));
  EXPECT_EQ(framer.buffered(), 4u);
  framer.Append(":2}\n\n{\"c\":3}\r\n", lines);
  EXPECT_EQ(lines, (Lines{"{\"a\":1}", "{\"b\":2}", "", "{\"c\":3}\r"}));
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(LineFramerTest, AnOversizedLineIsDroppedAndTheNextOneServed) {
  LineFramer framer(10);
  Lines lines;
  EXPECT_EQ(framer.Append("0123456789", lines), 0u) << "exactly the limit is fine so far";
  EXPECT_EQ(framer.Append("X", lines), 1u);
  EXPECT_TRUE(framer.discarding());
  EXPECT_EQ(framer.buffered(), 0u) << "nothing of it is kept";
  EXPECT_EQ(framer.Append(std::string(1000, 'y'), lines), 0u);
  EXPECT_EQ(framer.Append("zz\nok\n", lines), 0u);
  EXPECT_EQ(lines, (Lines{"ok"}));
  EXPECT_FALSE(framer.discarding());
}

TEST(LineFramerTest, AnOversizedLineInOneReadIsDroppedToo) {
  LineFramer framer(4);
  Lines lines;
  EXPECT_EQ(framer.Append("abcdefgh\nabcd\nabcde\nab", lines), 2u);
  EXPECT_EQ(lines, (Lines{"abcd"}));
  EXPECT_EQ(framer.buffered(), 2u);
}

TEST(LineFramerTest, ByteByByteEqualsAllAtOnce) {
  const std::string stream = "first\nsecond line\n\nthird-that-is-too-long\nfourth\npartial";
  LineFramer whole(12), bytes(12);
  Lines at_once, one_by_one;
  const size_t dropped_at_once = whole.Append(stream, at_once);
  size_t dropped_by_bytes = 0;
  for (char c : stream) dropped_by_bytes += bytes.Append(std::string_view(&c, 1), one_by_one);
  EXPECT_EQ(at_once, one_by_one);
  EXPECT_EQ(at_once, (Lines{"first", "second line", "", "fourth"}));
  EXPECT_EQ(dropped_at_once, 1u);
  EXPECT_EQ(dropped_by_bytes, 1u);
  EXPECT_EQ(whole.buffered(), bytes.buffered());
}

}  // namespace
}  // namespace electrum::gateway
