// The COPY binary layout, byte by byte, against the format in PostgreSQL's
// COPY documentation.
#include "storage/pg/binary_copy.h"

#include <vector>

#include "gtest/gtest.h"

namespace electrum::storage {
namespace {

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int value : values) out.push_back(static_cast<char>(value));
  return out;
}

TEST(BinaryCopyBufferTest, EmptyPayloadIsHeaderAndTrailer) {
  BinaryCopyBuffer buffer;
  const std::string expected =
      std::string("PGCOPY\n\xff\r\n\0", 11) + std::string(8, '\0') + Bytes({0xff, 0xff});
  EXPECT_EQ(buffer.Finish(), expected);
  EXPECT_EQ(buffer.rows(), 0u);
}

TEST(BinaryCopyBufferTest, EncodesFieldsBigEndianWithLengths) {
  BinaryCopyBuffer buffer;
  buffer.StartRow(4);
  buffer.AddInt32(-2);
  buffer.AddInt64(0x0102030405060708);
  const std::vector<uint8_t> bytes = {0xab, 0xcd};
  buffer.AddBytes(bytes);
  buffer.AddNull();
  const std::string& payload = buffer.Finish();
  const std::string row =
      Bytes({0,    4,                                                    // fields
             0,    0,    0,    4,   0xff, 0xff, 0xff, 0xfe,              // int32
             0,    0,    0,    8,   1,    2,    3,    4,    5, 6, 7, 8,  // int64
             0,    0,    0,    2,   0xab, 0xcd,                          // bytea
             0xff, 0xff, 0xff, 0xff});                                   // NULL
  ASSERT_EQ(payload.size(), 19 + row.size() + 2);
  EXPECT_EQ(payload.substr(19, row.size()), row);
  EXPECT_EQ(buffer.rows(), 1u);
}

TEST(BinaryCopyBufferTest, BooleansAreOneByte) {
  BinaryCopyBuffer buffer;
  buffer.StartRow(2);
  buffer.AddBool(true);
  buffer.AddBool(false);
  EXPECT_EQ(buffer.Finish().substr(19, 2 + 5 + 5), Bytes({0, 2, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0}));
}

TEST(BinaryCopyBufferTest, FinishIsIdempotent) {
  BinaryCopyBuffer buffer;
  const size_t size = buffer.Finish().size();
  EXPECT_EQ(buffer.Finish().size(), size);
}

}  // namespace
}  // namespace electrum::storage
