#include "common/chain/checkpoint_trees.h"

#include <sstream>
#include <string>

#include "common/chain/block.h"
#include "common/testing/testdata.h"
#include "gtest/gtest.h"

namespace electrum::chain {
namespace {

using testing::HexBytes;
using testing::ReadTestJson;

std::vector<MerkleHash> Leaves(int32_t count, uint8_t salt) {
  std::vector<MerkleHash> leaves;
  for (int32_t i = 0; i < count; ++i) {
    std::array<uint8_t, 32> bytes{};
    bytes[0] = static_cast<uint8_t>(i);
    bytes[1] = salt;
    leaves.emplace_back(bytes);
  }
  return leaves;
}

TEST(CheckpointTreesTest, BuildsOnceThenKeeps) {
  CheckpointTrees trees(2);
  int builds = 0;
  auto leaves = [&](int32_t checkpoint) -> std::optional<std::vector<MerkleHash>> {
    ++builds;
    return Leaves(checkpoint + 1, 0);
  };
  auto first = trees.Get(10, leaves);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->leaf_count(), 11u);
  EXPECT_EQ(trees.Get(10, leaves), first);
  EXPECT_EQ(builds, 1);
  // The same branch as computing it from scratch.
  EXPECT_EQ(first->Branch(3)->root, ComputeMerkleBranch(Leaves(11, 0), 3)->root);
}

TEST(CheckpointTreesTest, KeepsOnlyTheMostRecentlyUsed) {
  CheckpointTrees trees(2);
  int builds = 0;
  auto leaves = [&](int32_t checkpoint) -> std::optional<std::vector<MerkleHash>> {
    ++builds;
    return Leaves(checkpoint + 1, 0);
  };
  trees.Get(1, leaves);
  trees.Get(2, leaves);
  trees.Get(1, leaves);  // 1 is now the most recent
  trees.Get(3, leaves);  // drops 2
  EXPECT_EQ(builds, 3);
  trees.Get(1, leaves);
  EXPECT_EQ(builds, 3);
  trees.Get(2, leaves);
  EXPECT_EQ(builds, 4);
}

TEST(CheckpointTreesTest, AReorgDropsTreesCoveringReplacedHeights) {
  CheckpointTrees trees;
  uint8_t branch = 0;
  auto leaves = [&](int32_t checkpoint) -> std::optional<std::vector<MerkleHash>> {
    return Leaves(checkpoint + 1, branch);
  };
  auto low = trees.Get(5, leaves);
  auto high = trees.Get(20, leaves);
  branch = 1;
  trees.ForgetFrom(10);
  EXPECT_EQ(trees.Get(5, leaves), low);
  auto rebuilt = trees.Get(20, leaves);
  EXPECT_NE(rebuilt, high);
  EXPECT_EQ(rebuilt->Branch(0)->root, ComputeMerkleBranch(Leaves(21, 1), 0)->root);
}

TEST(CheckpointTreesTest, ATreeBuiltAcrossAReorgIsNotKept) {
  CheckpointTrees trees;
  int builds = 0;
  auto leaves = [&](int32_t checkpoint) -> std::optional<std::vector<MerkleHash>> {
    ++builds;
    if (builds == 1) trees.ForgetFrom(0);  // a reorg while this one is built
    return Leaves(checkpoint + 1, 0);
  };
  EXPECT_NE(trees.Get(7, leaves), nullptr);
  trees.Get(7, leaves);
  EXPECT_EQ(builds, 2);
}

TEST(CheckpointTreesTest, BeyondTheChainIsNull) {
  CheckpointTrees trees;
  EXPECT_EQ(trees.Get(100, [](int32_t) { return std::optional<std::vector<MerkleHash>>(); }),
            nullptr);
}

TEST(CheckpointTreesTest, SpecExampleFromMainnetHeaders) {
  std::istringstream lines(testing::ReadTestData("headers/bitcoin_mainnet_0_255.txt"));
  std::vector<BlockHash> hashes;
  std::string hex;
  while (std::getline(lines, hex) && hashes.size() <= 8) {
    Bytes raw = HexBytes(hex);
    hashes.push_back(ParseHeader(raw).value().Sha256dHash());
  }
  ASSERT_EQ(hashes.size(), 9u);

  nlohmann::json expected;
  const nlohmann::json data = ReadTestJson("protocol/method_examples.json");
  for (const auto& example : data["examples"]) {
    if (example["method"].get<std::string>() == "blockchain.block.header" &&
        example["params"][1].get<int>() == 8) {
      expected = example["result"];
    }
  }
  ASSERT_FALSE(expected.is_null());
  CheckpointTrees trees;
  auto tree = trees.Get(8, [&](int32_t last) { return HeaderLeavesThrough(hashes, last); });
  ASSERT_NE(tree, nullptr);
  absl::StatusOr<MerkleBranch> proof = tree->Branch(5);
  ASSERT_TRUE(proof.ok()) << proof.status();
  EXPECT_EQ(proof->root.ToDisplayHex(), expected["root"]);
  std::vector<std::string> branch;
  for (const MerkleHash& sibling : proof->siblings) branch.push_back(sibling.ToDisplayHex());
  EXPECT_EQ(branch, expected["branch"].get<std::vector<std::string>>());

  EXPECT_EQ(tree->Branch(9).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_FALSE(HeaderLeavesThrough(hashes, 9).has_value());
}

}  // namespace
}  // namespace electrum::chain
