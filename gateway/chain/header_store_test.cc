#include "gateway/chain/header_store.h"

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

StoredHeader Header(int32_t height, uint8_t tag = 0) {
  std::array<uint8_t, 32> bytes{};
  bytes[0] = static_cast<uint8_t>(height);
  bytes[1] = tag;
  return StoredHeader{height, chain::BlockHash(bytes), std::string(80, static_cast<char>(height))};
}

TEST(HeaderStoreTest, AppendsOnlyContinuations) {
  HeaderStore store;
  EXPECT_EQ(store.tip_height(), -1);
  EXPECT_FALSE(store.Tip());
  EXPECT_FALSE(store.Append({Header(1)}));
  EXPECT_TRUE(store.Append({Header(0), Header(1), Header(2)}));
  EXPECT_EQ(store.tip_height(), 2);
  EXPECT_FALSE(store.Append({Header(4)}));
  EXPECT_EQ(store.tip_height(), 2);
  EXPECT_EQ(store.At(1)->hash, Header(1).hash);
  std::string expected;
  for (int i = 0; i < 80; ++i) expected += "02";
  EXPECT_EQ(*store.HexAt(2), expected);
  EXPECT_FALSE(store.HexAt(3));
}

TEST(HeaderStoreTest, RangesStopAtTheTip) {
  HeaderStore store;
  ASSERT_TRUE(store.Append({Header(0), Header(1), Header(2)}));
  EXPECT_EQ(store.Range(1, 10).size(), 2u);
  EXPECT_EQ(store.Range(1, 10).back().height, 2);
  EXPECT_TRUE(store.Range(3, 10).empty());
}

TEST(HeaderStoreTest, TruncationReplacesAForkedTail) {
  HeaderStore store;
  ASSERT_TRUE(store.Append({Header(0), Header(1), Header(2)}));
  store.TruncateFrom(1);
  EXPECT_EQ(store.tip_height(), 0);
  ASSERT_TRUE(store.Append({Header(1, 7)}));
  EXPECT_EQ(store.Tip()->hash, Header(1, 7).hash);
}

TEST(HeaderStoreTest, CheckpointProofsCheckTheirRange) {
  HeaderStore store;
  ASSERT_TRUE(store.Append({Header(0), Header(1), Header(2), Header(3)}));
  auto proof = store.CheckpointProof(1, 3);
  ASSERT_TRUE(proof.ok());
  EXPECT_EQ(proof->siblings.size(), 2u);
  // The branch leads from leaf 1 to the root of leaves 0..3.
  EXPECT_EQ(chain::RootFromBranch(chain::MerkleHash(Header(1).hash.internal()), proof->siblings, 1),
            proof->root);
  EXPECT_FALSE(store.CheckpointProof(3, 2).ok());
  EXPECT_FALSE(store.CheckpointProof(1, 4).ok());
}

TEST(HeaderStoreTest, KeptTreesFollowReorgs) {
  HeaderStore store;
  ASSERT_TRUE(store.Append({Header(0), Header(1), Header(2), Header(3)}));
  auto before = store.CheckpointProof(0, 3);
  ASSERT_TRUE(before.ok());
  // Height 3 replaced: the kept tree of checkpoint 3 must not be reused.
  store.TruncateFrom(3);
  ASSERT_TRUE(store.Append({Header(3, 9)}));
  auto after = store.CheckpointProof(0, 3);
  ASSERT_TRUE(after.ok());
  EXPECT_NE(before->root, after->root);
  std::vector<chain::MerkleHash> leaves;
  for (int i = 0; i < 3; ++i) leaves.emplace_back(Header(i).hash.internal());
  leaves.emplace_back(Header(3, 9).hash.internal());
  EXPECT_EQ(after->root, chain::MerkleRoot(leaves));
}

}  // namespace
}  // namespace electrum::gateway
