#include "gateway/protocol/argument_types.h"

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

using nlohmann::json;

template <typename T>
std::string ErrorOf(const absl::StatusOr<T>& result) {
  EXPECT_FALSE(result.ok());
  return std::string(result.status().message());
}

// The spec §4.1 vector for 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa (sha256 6191c3…018b).
constexpr char kScriptHash[] = "8b01df4e368ea28f8dc0423bcf7a4923e3a12d307c875e47a0cfbf90b5c39161";

TEST(ArgumentTypesTest, ScriptAndTransactionHashes) {
  auto scripthash = ScriptHashArgument(kScriptHash);
  ASSERT_TRUE(scripthash.ok());
  EXPECT_EQ(scripthash->ToDisplayHex(), kScriptHash);
  EXPECT_EQ(scripthash->internal()[0], 0x61) << "display order is reversed";
  EXPECT_EQ(ErrorOf(ScriptHashArgument("abcd")), "abcd is not a valid script hash");
  EXPECT_EQ(ErrorOf(ScriptHashArgument(std::string(64, 'g'))),
            std::string(64, 'g') + " is not a valid script hash");
  EXPECT_EQ(ErrorOf(ScriptHashArgument(5)), "5 is not a valid script hash");
  EXPECT_TRUE(TxHashArgument(std::string(64, 'A')).ok()) << "either case";
  EXPECT_EQ(ErrorOf(TxHashArgument(nullptr)), "null should be a transaction hash");
  EXPECT_EQ(ErrorOf(TxHashArgument(std::string(300, 'a'))).size(),
            100 + 3 + std::string(" should be a transaction hash").size())
      << "long values are cut";
}

TEST(ArgumentTypesTest, NonNegativeIntegersConvertLikeElectrumX) {
  EXPECT_EQ(*NonNegativeIntegerArgument(5), 5u);
  EXPECT_EQ(*NonNegativeIntegerArgument("5"), 5u);
  EXPECT_EQ(*NonNegativeIntegerArgument(" 7 "), 7u);
  EXPECT_EQ(*NonNegativeIntegerArgument(5.9), 5u);
  EXPECT_EQ(*NonNegativeIntegerArgument(true), 1u);
  EXPECT_EQ(ErrorOf(NonNegativeIntegerArgument(-1)), "-1 should be a non-negative integer");
  EXPECT_EQ(ErrorOf(NonNegativeIntegerArgument("-1")), "-1 should be a non-negative integer");
  EXPECT_EQ(ErrorOf(NonNegativeIntegerArgument("5.0")), "5.0 should be a non-negative integer");
  EXPECT_EQ(ErrorOf(NonNegativeIntegerArgument("x")), "x should be a non-negative integer");
  EXPECT_EQ(ErrorOf(NonNegativeIntegerArgument(json::array())),
            "[] should be a non-negative integer");
  EXPECT_FALSE(NonNegativeIntegerArgument(1e300).ok());
}

TEST(ArgumentTypesTest, HexStrings) {
  EXPECT_EQ(*HexStringArgument("00ff"), (std::vector<uint8_t>{0x00, 0xff}));
  EXPECT_EQ(HexStringArgument("")->size(), 0u);
  EXPECT_EQ(ErrorOf(HexStringArgument("abc")), "abc should be a hex string");
  EXPECT_EQ(ErrorOf(HexStringArgument("ab cd")), "ab cd should be a hex string");
  EXPECT_EQ(ErrorOf(HexStringArgument(12)), "12 should be a hex string");
}

}  // namespace
}  // namespace electrum::gateway
