// Every real block in testdata/blocks parses; txids, merkle root,
// header hash and prev hash match the recorded values; re-serialization is
// byte-exact.
#include "common/chain/block.h"

#include <sstream>
#include <string>

#include "common/chain/coins.h"
#include "common/testing/testdata.h"
#include "gtest/gtest.h"

namespace electrum::chain {
namespace {

using testing::HexBytes;
using testing::ReadTestJson;

struct FileFormat {
  BlockFormat format;
  bool sha256d_block_hash = true;
};

// The block format behind a file name "<coin>_<network>_<height>.json": the
// coin table's for coins in it, the generic AuxPoW or Xaya layout for the
// other merged-mined coins ElectrumX serves.
FileFormat FormatForFile(const std::string& file) {
  std::string coin = file.substr(0, file.find('_'));
  std::string rest = file.substr(coin.size() + 1);
  std::string network = rest.substr(0, rest.find('_'));
  if (coin == "xaya") return {.format = {.pow_data = PowDataFormat::kXaya}};
  if (coin == "bitcoinsv") return {.format = BitcoinMainnet().block_format};
  auto known = FindCoin(coin, network);
  if (known.ok()) return {(*known)->block_format, (*known)->sha256d_block_hash};
  return {.format = {.pow_data = PowDataFormat::kAuxPowVersionBit}};
}

// Some recorded files wrap long hex values with spaces (unobtanium_mainnet_1000).
std::string Hex(const nlohmann::json& value) {
  std::string text = value.get<std::string>();
  std::erase_if(text, [](char c) { return isspace(static_cast<unsigned char>(c)); });
  return text;
}

class RealBlockTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RealBlockTest, ParsesAndMatchesRecordedValues) {
  const std::string file = GetParam();
  nlohmann::json expected = ReadTestJson("blocks/" + file);
  const FileFormat coin = FormatForFile(file);
  Bytes raw = HexBytes(Hex(expected["block"]));

  absl::StatusOr<Block> block = ParseBlock(raw, coin.format);
  ASSERT_TRUE(block.ok()) << file << ": " << block.status();

  ASSERT_EQ(block->transactions.size(), expected["tx"].size());
  for (size_t i = 0; i < block->transactions.size(); ++i) {
    EXPECT_EQ(block->transactions[i].txid.ToDisplayHex(), Hex(expected["tx"][i])) << "tx " << i;
  }
  EXPECT_EQ(block->header.merkle_root.ToDisplayHex(), Hex(expected["merkleroot"]));
  EXPECT_EQ(ComputeMerkleRoot(*block).ToDisplayHex(), Hex(expected["merkleroot"]));
  EXPECT_EQ(block->header.prev_hash.ToDisplayHex(), Hex(expected["previousblockhash"]));
  if (coin.sha256d_block_hash) {
    EXPECT_EQ(block->header.Sha256dHash().ToDisplayHex(), Hex(expected["hash"]));
  }
  EXPECT_EQ(SerializeBlock(*block), raw);
  if (expected.contains("nonce")) EXPECT_EQ(block->header.nonce, expected["nonce"]);
}

INSTANTIATE_TEST_SUITE_P(
    SharedTestData, RealBlockTest,
    []() {
      std::vector<std::string> json_files;
      for (const std::string& name : testing::ListTestData("blocks")) {
        if (name.ends_with(".json")) json_files.push_back(name);
      }
      return ::testing::ValuesIn(json_files);
    }(),
    [](const auto& info) {
      std::string name = info.param.substr(0, info.param.size() - 5);
      for (char& c : name)
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      return name;
    });

TEST(MainnetChainStartTest, FirstBlocksLinkAndParse) {
  std::string lines = testing::ReadTestData("blocks/bitcoin_mainnet_0_255.txt");
  std::istringstream stream(lines);
  std::string hex;
  BlockHash previous;
  int height = 0;
  while (std::getline(stream, hex)) {
    if (hex.empty()) continue;
    Bytes raw = HexBytes(hex);
    absl::StatusOr<Block> block = ParseBlock(raw, BitcoinMainnet().block_format);
    ASSERT_TRUE(block.ok()) << "height " << height << ": " << block.status();
    EXPECT_EQ(block->header.prev_hash, previous) << "height " << height;
    EXPECT_EQ(ComputeMerkleRoot(*block), block->header.merkle_root) << "height " << height;
    EXPECT_EQ(SerializeBlock(*block), raw);
    previous = block->header.Sha256dHash();
    if (height == 0) EXPECT_EQ(previous, BitcoinMainnet().genesis_hash);
    ++height;
  }
  EXPECT_EQ(height, 256);
}

TEST(BlockParseErrorTest, TruncatedBlockIsAnErrorNotACrash) {
  std::string file = "blocks/bitcoin_mainnet_951658.json";
  Bytes raw = HexBytes(ReadTestJson(file)["block"]);
  for (size_t cut :
       {size_t{0}, size_t{79}, size_t{80}, size_t{81}, raw.size() / 2, raw.size() - 1}) {
    Bytes truncated(raw.begin(), raw.begin() + cut);
    absl::StatusOr<Block> block = ParseBlock(truncated, BitcoinMainnet().block_format);
    EXPECT_EQ(block.status().code(), absl::StatusCode::kInvalidArgument) << "cut at " << cut;
  }
}

TEST(BlockParseErrorTest, ForgedTransactionCountIsRejectedBeforeAllocating) {
  Bytes raw = HexBytes(ReadTestJson("blocks/bitcoin_signet_31500.json")["block"]);
  raw.resize(80);
  // 0xfe + 0x01ffffff transactions in a few bytes.
  for (uint8_t byte : {0xfe, 0xff, 0xff, 0xff, 0x01}) raw.push_back(byte);
  absl::StatusOr<Block> block = ParseBlock(raw, BitcoinMainnet().block_format);
  EXPECT_EQ(block.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(block.status().message().find("cannot fit"), std::string::npos);
}

}  // namespace
}  // namespace electrum::chain
