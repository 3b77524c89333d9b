// simnode's chain, mempool, reorg and persistence behaviour, with the blocks
// checked by the project's own chain parser.
#include "tools/simnode/node.h"

#include <filesystem>
#include <string>

#include "common/chain/block.h"
#include "common/chain/coins.h"
#include "common/crypto/hex.h"
#include "gtest/gtest.h"
#include "tools/simnode/block_assembler.h"
#include "tools/simnode/tx_builder.h"

namespace electrum::simnode {
namespace {

const Bytes kMinerScript = P2wpkhScript(Bytes(20, 0x11));
const Bytes kPayeeScript = P2pkhScript(Bytes(20, 0x22));

// Records notifications as short strings, in order.
class RecordingNotifier : public Notifier {
 public:
  void Transaction(const TxId& txid, chain::ByteSpan) override { Add("tx", txid.ToDisplayHex()); }
  void Tip(const BlockHash& hash, chain::ByteSpan) override { Add("tip", hash.ToDisplayHex()); }
  void BlockConnected(const BlockHash& hash) override { Add("C", hash.ToDisplayHex()); }
  void BlockDisconnected(const BlockHash& hash) override { Add("D", hash.ToDisplayHex()); }
  void MempoolAdded(const TxId& txid, uint64_t sequence) override {
    Add("A", txid.ToDisplayHex() + "@" + std::to_string(sequence));
  }
  void MempoolRemoved(const TxId& txid, uint64_t sequence) override {
    Add("R", txid.ToDisplayHex() + "@" + std::to_string(sequence));
  }
  std::vector<std::string> events;

 private:
  void Add(const std::string& kind, const std::string& what) {
    events.push_back(kind + " " + what);
  }
};

class NodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto node = Node::Open({.mock_time = 1700000000}, &notifier_);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = std::move(*node);
  }

  // A transaction spending the coinbase of block `height` to kPayeeScript.
  Bytes SpendCoinbase(int height, int64_t fee) {
    const BlockEntry* block = node_->chain().AtHeight(height);
    int64_t value = block->block.transactions[0].outputs[0].value;
    return BuildTransaction({{.outpoint = {block->block.transactions[0].txid, 0}}},
                            {{value - fee, kPayeeScript}});
  }

  RecordingNotifier notifier_;
  std::unique_ptr<Node> node_;
};

TEST_F(NodeTest, StartsAtTheRegtestGenesis) {
  EXPECT_EQ(node_->chain().Height(), 0);
  EXPECT_EQ(node_->chain().Tip()->hash, chain::BitcoinRegtest().genesis_hash);
}

TEST_F(NodeTest, MinedBlocksAreValidRegtestBlocks) {
  auto hashes = node_->Generate(20, kMinerScript);
  ASSERT_TRUE(hashes.ok()) << hashes.status();
  ASSERT_EQ(node_->chain().Height(), 20);
  for (int height = 1; height <= 20; ++height) {
    const BlockEntry* entry = node_->chain().AtHeight(height);
    auto block = chain::ParseBlock(entry->raw, chain::BitcoinRegtest().block_format);
    ASSERT_TRUE(block.ok());
    EXPECT_EQ(block->header.bits, kRegtestBits);
    EXPECT_LE(block->header.Sha256dHash().internal()[31], 0x7f) << "meets the target";
    EXPECT_EQ(chain::ComputeMerkleRoot(*block), block->header.merkle_root);
    const chain::Transaction& coinbase = block->transactions[0];
    // BIP 34: the script starts with the height push.
    Bytes height_push = HeightScript(height);
    EXPECT_TRUE(
        std::equal(height_push.begin(), height_push.end(), coinbase.inputs[0].script_sig.begin()));
    EXPECT_EQ(coinbase.outputs[0].value, BlockSubsidy(height));
    // BIP 141 commitment output and reserved value.
    ASSERT_EQ(coinbase.outputs.size(), 2u);
    EXPECT_EQ(ToHex(coinbase.outputs[1].script_pubkey.first(6)), "6a24aa21a9ed");
    ASSERT_EQ(coinbase.inputs[0].witness.size(), 1u);
    EXPECT_EQ(coinbase.inputs[0].witness[0].size(), 32u);
    EXPECT_EQ(block->header.prev_hash, node_->chain().AtHeight(height - 1)->hash);
  }
  EXPECT_EQ(BlockSubsidy(150), 25 * kCoin);
}

TEST_F(NodeTest, MempoolAcceptsAndRejectsLikeCore) {
  ASSERT_TRUE(node_->Generate(101, kMinerScript).ok());
  Bytes spend = SpendCoinbase(1, 10000);
  auto accepted = node_->SubmitTransaction(spend, kMaxFeeRatePerKvb);
  ASSERT_TRUE(std::holds_alternative<TxId>(accepted)) << std::get<RejectReason>(accepted).message;

  auto reason = [&](const Bytes& raw) {
    auto result = node_->SubmitTransaction(raw, kMaxFeeRatePerKvb);
    return std::holds_alternative<RejectReason>(result) ? std::get<RejectReason>(result)
                                                        : RejectReason{0, "accepted"};
  };
  // Same coin again with another fee: conflict.
  RejectReason conflict = reason(SpendCoinbase(1, 20000));
  EXPECT_EQ(conflict.rpc_code, -26);
  EXPECT_EQ(conflict.message, "txn-mempool-conflict");
  // The coinbase of block 2 is only 100 deep at height 102, so still immature.
  RejectReason immature = reason(SpendCoinbase(3, 10000));
  EXPECT_EQ(immature.rpc_code, -26);
  EXPECT_NE(immature.message.find("premature-spend-of-coinbase"), std::string::npos);
  // An output that does not exist.
  Bytes missing = BuildTransaction({{.outpoint = {TxId(), 7}}}, {{1000, kPayeeScript}});
  EXPECT_EQ(reason(missing).rpc_code, -25);
  EXPECT_EQ(reason(missing).message, "bad-txns-inputs-missingorspent");
  // Fee below 1 sat/vB.
  RejectReason cheap = reason(SpendCoinbase(2, 10));
  EXPECT_EQ(cheap.rpc_code, -26);
  EXPECT_NE(cheap.message.find("min relay fee not met"), std::string::npos);
  // Garbage.
  EXPECT_EQ(reason(Bytes{1, 2, 3}).rpc_code, -22);
  EXPECT_EQ(node_->mempool().Size(), 1u);
}

TEST_F(NodeTest, MiningConfirmsAndAReorgReturnsTheTransaction) {
  ASSERT_TRUE(node_->Generate(101, kMinerScript).ok());
  auto submitted = node_->SubmitTransaction(SpendCoinbase(1, 10000), kMaxFeeRatePerKvb);
  TxId txid = std::get<TxId>(submitted);
  ASSERT_TRUE(node_->Generate(1, kMinerScript).ok());
  EXPECT_EQ(node_->mempool().Size(), 0u);
  auto location = node_->chain().FindTransaction(txid);
  ASSERT_TRUE(location.has_value());
  EXPECT_EQ(location->block->height, 102);
  // The miner got the fee.
  EXPECT_EQ(node_->chain().Tip()->block.transactions[0].outputs[0].value,
            BlockSubsidy(102) + 10000);

  const BlockHash mined = node_->chain().Tip()->hash;
  ASSERT_TRUE(node_->InvalidateBlock(mined).ok());
  EXPECT_EQ(node_->chain().Height(), 101);
  EXPECT_FALSE(node_->chain().FindTransaction(txid).has_value());
  EXPECT_NE(node_->mempool().Find(txid), nullptr);

  // A longer competing branch wins; reconsider the old block: still shorter.
  ASSERT_TRUE(node_->Generate(2, kMinerScript).ok());
  EXPECT_EQ(node_->chain().Height(), 103);
  EXPECT_EQ(node_->mempool().Size(), 0u);
  ASSERT_TRUE(node_->ReconsiderBlock(mined).ok());
  EXPECT_EQ(node_->chain().Height(), 103);
  EXPECT_NE(node_->chain().Tip()->hash, mined);
}

TEST_F(NodeTest, AReorgPutsReturnedParentsBeforeTheirChildren) {
  ASSERT_TRUE(node_->Generate(101, kMinerScript).ok());
  TxId parent =
      std::get<TxId>(node_->SubmitTransaction(SpendCoinbase(1, 10000), kMaxFeeRatePerKvb));
  ASSERT_TRUE(node_->Generate(1, kMinerScript).ok());
  const BlockEntry* mined = node_->chain().Tip();
  const int64_t parent_value = node_->chain().FindCoin({parent, 0})->value;
  Bytes child =
      BuildTransaction({{.outpoint = {parent, 0}}}, {{parent_value - 10000, kPayeeScript}});
  TxId child_id = std::get<TxId>(node_->SubmitTransaction(child, kMaxFeeRatePerKvb));
  EXPECT_TRUE(node_->mempool().Find(child_id)->depends.empty()) << "its parent is confirmed";

  ASSERT_TRUE(node_->InvalidateBlock(mined->hash).ok());
  // The parent is back, after its child in arrival but first for mining.
  ASSERT_NE(node_->mempool().Find(parent), nullptr);
  EXPECT_EQ(node_->mempool().Find(child_id)->depends, std::vector<TxId>{parent});
  EXPECT_EQ(node_->mempool().Entries().front()->tx.txid, parent);
  ASSERT_TRUE(node_->Generate(1, kMinerScript).ok());
  EXPECT_EQ(node_->mempool().Size(), 0u) << "both mined again";
}

TEST_F(NodeTest, AReorgReturnsChainsOfTransactionsFromOneBlock) {
  ASSERT_TRUE(node_->Generate(101, kMinerScript).ok());
  TxId parent =
      std::get<TxId>(node_->SubmitTransaction(SpendCoinbase(1, 10000), kMaxFeeRatePerKvb));
  const int64_t parent_value = node_->mempool().Find(parent)->tx.outputs[0].value;
  Bytes child =
      BuildTransaction({{.outpoint = {parent, 0}}}, {{parent_value - 10000, kPayeeScript}});
  TxId child_id = std::get<TxId>(node_->SubmitTransaction(child, kMaxFeeRatePerKvb));
  ASSERT_TRUE(node_->Generate(1, kMinerScript).ok());
  ASSERT_TRUE(node_->InvalidateBlock(node_->chain().Tip()->hash).ok());
  EXPECT_NE(node_->mempool().Find(parent), nullptr);
  EXPECT_NE(node_->mempool().Find(child_id), nullptr) << "the child follows its parent back";
}

TEST_F(NodeTest, ABranchWithADoubleSpendEvictsTheLoserAndItsChildren) {
  ASSERT_TRUE(node_->Generate(101, kMinerScript).ok());
  TxId parent =
      std::get<TxId>(node_->SubmitTransaction(SpendCoinbase(1, 10000), kMaxFeeRatePerKvb));
  const int64_t parent_value = node_->mempool().Find(parent)->tx.outputs[0].value;
  Bytes child =
      BuildTransaction({{.outpoint = {parent, 0}}}, {{parent_value - 10000, kPayeeScript}});
  ASSERT_TRUE(std::holds_alternative<TxId>(node_->SubmitTransaction(child, kMaxFeeRatePerKvb)));
  // A block spending the same coinbase differently.
  ASSERT_TRUE(node_->MineBlockWith({SpendCoinbase(1, 30000)}, 30000, kMinerScript).ok());
  EXPECT_EQ(node_->mempool().Size(), 0u);
}

TEST_F(NodeTest, InvalidBlocksSayWhy) {
  ASSERT_TRUE(node_->Generate(101, kMinerScript).ok());
  // A block spending a coin that does not exist.
  Bytes missing = BuildTransaction({{.outpoint = {TxId(), 3}}}, {{1000, kPayeeScript}});
  absl::StatusOr<BlockHash> bad = node_->MineBlockWith({missing}, 0, kMinerScript);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("bad-txns-inputs-missingorspent"), std::string::npos);
  EXPECT_EQ(node_->chain().Height(), 101);
  // A coinbase claiming more than subsidy plus fees.
  absl::StatusOr<BlockHash> greedy = node_->MineBlockWith({}, 1, kMinerScript);
  ASSERT_FALSE(greedy.ok());
  EXPECT_EQ(greedy.status().message(), "bad-cb-amount");
  ASSERT_TRUE(node_->InvalidateBlock(node_->chain().Tip()->hash).ok());
  EXPECT_EQ(
      node_->chain().Find(node_->chain().AtHeight(100)->children.back()->hash)->invalid_reason,
      "invalidated");
}

TEST_F(NodeTest, NotificationsFollowCoreOrder) {
  ASSERT_TRUE(node_->Generate(101, kMinerScript).ok());
  notifier_.events.clear();
  TxId txid = std::get<TxId>(node_->SubmitTransaction(SpendCoinbase(1, 10000), kMaxFeeRatePerKvb));
  ASSERT_TRUE(node_->Generate(1, kMinerScript).ok());
  const BlockEntry* tip = node_->chain().Tip();
  const std::string tx = txid.ToDisplayHex();
  const std::string block = tip->hash.ToDisplayHex();
  std::vector<std::string> expected = {
      "tx " + tx, "A " + tx + "@1", "tx " + tip->block.transactions[0].txid.ToDisplayHex(),
      "tx " + tx, "C " + block,     "tip " + block};
  EXPECT_EQ(notifier_.events, expected);

  notifier_.events.clear();
  ASSERT_TRUE(node_->InvalidateBlock(tip->hash).ok());
  expected = {"D " + block, "tip " + tip->parent->hash.ToDisplayHex(), "tx " + tx,
              "A " + tx + "@3"};
  EXPECT_EQ(notifier_.events, expected);
}

TEST(NodePersistenceTest, RestartResumesTheSameChain) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/simnode-persist";
  std::filesystem::remove_all(dir);
  BlockHash tip;
  BlockHash invalidated;
  {
    auto node = Node::Open({.data_dir = dir, .mock_time = 1700000000}, nullptr);
    ASSERT_TRUE(node.ok()) << node.status();
    ASSERT_TRUE((*node)->Generate(10, kMinerScript).ok());
    invalidated = (*node)->chain().Tip()->hash;
    ASSERT_TRUE((*node)->InvalidateBlock(invalidated).ok());
    ASSERT_TRUE((*node)->Generate(3, kMinerScript).ok());
    tip = (*node)->chain().Tip()->hash;
  }
  // A torn record at the end (a crash mid-write) is dropped.
  {
    std::FILE* log = std::fopen((dir + "/chain.log").c_str(), "ab");
    std::fputs("B\x10\x00", log);
    std::fclose(log);
  }
  auto reopened = Node::Open({.data_dir = dir, .mock_time = 1700000000}, nullptr);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->chain().Height(), 12);
  EXPECT_EQ((*reopened)->chain().Tip()->hash, tip);
  EXPECT_TRUE((*reopened)->chain().Find(invalidated)->invalid);
  ASSERT_TRUE((*reopened)->Generate(1, kMinerScript).ok());
  EXPECT_EQ((*reopened)->chain().Height(), 13);
}

}  // namespace
}  // namespace electrum::simnode
