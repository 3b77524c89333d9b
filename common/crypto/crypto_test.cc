#include <string>

#include "common/crypto/base64.h"
#include "common/crypto/hex.h"
#include "common/crypto/sha256.h"
#include "common/testing/testdata.h"
#include "gtest/gtest.h"

namespace electrum {
namespace {

TEST(Sha256Test, KnownVectors) {
  // FIPS 180-2 examples.
  EXPECT_EQ(ToHex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, ElectrumxVectors) {
  const nlohmann::json vectors = testing::ReadTestJson("electrumx/hash_base58.json");
  for (const auto& vector : vectors["sha256"]) {
    EXPECT_EQ(ToHex(Sha256(vector["input_ascii"].get<std::string>())), vector["expected_hex"]);
  }
  for (const auto& vector : vectors["double_sha256"]) {
    std::string input = vector["input_ascii"];
    std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(input.data()), input.size());
    EXPECT_EQ(ToHex(Sha256d(bytes)), vector["expected_hex"]);
    Sha256dHasher pieces;
    pieces.Add(bytes.first(3)).Add(bytes.subspan(3));
    EXPECT_EQ(pieces.Finish(), Sha256d(bytes));
  }
}

TEST(Base64Test, Rfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(HexTest, RoundTrip) {
  std::vector<uint8_t> bytes = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(ToHex(bytes), "0001abff");
  EXPECT_EQ(FromHex("0001ABff").value(), bytes);
  EXPECT_TRUE(FromHex("").value().empty());
}

TEST(HexTest, RejectsOddLengthAndBadCharacters) {
  EXPECT_EQ(FromHex("abc").status().code(), absl::StatusCode::kInvalidArgument);
  absl::Status bad = FromHex("00zz").status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "non-hex character at offset 2");
}

}  // namespace
}  // namespace electrum
