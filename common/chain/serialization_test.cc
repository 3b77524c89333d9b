// ByteReader / ByteWriter edge cases and the display byte order of hashes.
#include "common/chain/byte_reader.h"
#include "common/chain/byte_writer.h"
#include "common/chain/hash_types.h"
#include "gtest/gtest.h"

namespace electrum::chain {
namespace {

Bytes Encoded(uint64_t value) {
  Bytes out;
  ByteWriter(&out).WriteCompactSize(value);
  return out;
}

TEST(CompactSizeTest, BoundariesRoundTrip) {
  for (uint64_t value : std::vector<uint64_t>{0, 0xfc, 0xfd, 0xffff, 0x10000, kMaxCompactSize}) {
    Bytes bytes = Encoded(value);
    ByteReader reader(bytes);
    EXPECT_EQ(reader.ReadCompactSize(), value);
    EXPECT_TRUE(reader.ok() && reader.AtEnd()) << value;
  }
  EXPECT_EQ(Encoded(0xfc).size(), 1u);
  EXPECT_EQ(Encoded(0xfd).size(), 3u);
  EXPECT_EQ(Encoded(0x10000).size(), 5u);
}

TEST(CompactSizeTest, OversizedAndNonCanonicalAreErrors) {
  Bytes too_big = Encoded(kMaxCompactSize + 1);
  ByteReader big(too_big);
  big.ReadCompactSize();
  EXPECT_NE(big.status().message().find("exceeds"), std::string::npos);

  Bytes non_canonical = {0xfe, 0xff, 0x00, 0x00, 0x00};  // 255 in five bytes
  ByteReader reader(non_canonical);
  reader.ReadCompactSize();
  EXPECT_NE(reader.status().message().find("non-canonical"), std::string::npos);
}

TEST(ByteReaderTest, ErrorsAreStickyAndNameTheOffset) {
  Bytes bytes = {1, 2, 3};
  ByteReader reader(bytes);
  EXPECT_EQ(reader.ReadU16(), 0x0201);
  EXPECT_EQ(reader.ReadU32(), 0u);
  EXPECT_FALSE(reader.ok());
  EXPECT_EQ(reader.ReadU8(), 0);  // still failed, even though a byte is left
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("at byte 2"), std::string::npos);
}

TEST(ByteReaderTest, LittleEndianIntegers) {
  Bytes bytes;
  ByteWriter writer(&bytes);
  writer.WriteU16(0xbeef);
  writer.WriteU32(0xdeadbeef);
  writer.WriteU64(0x0123456789abcdefULL);
  writer.WriteI64(-5);
  ByteReader reader(bytes);
  EXPECT_EQ(reader.ReadU16(), 0xbeef);
  EXPECT_EQ(reader.ReadU32(), 0xdeadbeefu);
  EXPECT_EQ(reader.ReadU64(), 0x0123456789abcdefULL);
  EXPECT_EQ(reader.ReadI64(), -5);
  EXPECT_TRUE(reader.ok() && reader.AtEnd());
}

TEST(HashTypesTest, DisplayOrderIsReversed) {
  auto hash =
      BlockHash::FromDisplayHex("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->internal()[0], 0x6f);
  EXPECT_EQ(hash->internal()[31], 0x00);
  EXPECT_EQ(hash->ToInternalHex(),
            "6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000");
  EXPECT_EQ(hash->ToDisplayHex(),
            "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
}

TEST(HashTypesTest, BadInputIsAnError) {
  EXPECT_FALSE(TxId::FromDisplayHex("abcd").ok());
  EXPECT_FALSE(TxId::FromDisplayHex(std::string(63, '0') + "g").ok());
  Bytes short_bytes(31, 0);
  EXPECT_FALSE(TxId::FromInternal(short_bytes).ok());
}

}  // namespace
}  // namespace electrum::chain
