// The bulk batch builder over a generated simnode chain: one row per
// transaction, output and spend, history deduplicated per transaction, and
// spends resolved through the in-memory unspent outputs; broken input is an
// error, not a wrong row.
#include "storage/chain_index/bulk_batch.h"

#include <set>

#include "common/chain/coins.h"
#include "common/chain/electrum_hashes.h"
#include "gtest/gtest.h"
#include "storage/chain_index/testing/generated_chain.h"
#include "tools/simnode/node.h"
#include "tools/simnode/workload.h"

namespace electrum::storage {
namespace {

std::unique_ptr<simnode::Node> GeneratedChain() {
  auto node = GenerateChain({.seed = 5, .blocks = 3, .transactions_per_block = 50});
  EXPECT_TRUE(node.ok()) << node.status();
  return node.ok() ? std::move(*node) : nullptr;
}

PreparedBlock Prepare(const simnode::Node& node, int height) {
  auto prepared = PrepareNodeBlock(node, height);
  EXPECT_TRUE(prepared.ok()) << prepared.status();
  return prepared.ok() ? std::move(*prepared) : PreparedBlock();
}

TEST(BulkBatchBuilderTest, RowsMatchTheChain) {
  auto node = GeneratedChain();
  UnspentOutputs unspent;
  BulkBatchBuilder builder(unspent, 0);
  size_t txs = 0, outputs = 0, spends = 0, history = 0;
  std::set<std::pair<chain::TxId, uint32_t>> created;
  for (int height = 0; height <= node->chain().Height(); ++height) {
    ASSERT_TRUE(builder.Add(Prepare(*node, height)).ok());
    for (const auto& tx : node->chain().AtHeight(height)->block.transactions) {
      ++txs;
      if (height == 0) continue;
      std::set<chain::ScriptHash> touched;
      for (const auto& input : tx.inputs) {
        if (tx.IsCoinbase()) break;
        ++spends;
        created.erase({input.prev_txid, input.prev_index});
        auto location = node->chain().FindTransaction(input.prev_txid);
        ASSERT_TRUE(location.has_value());
        const auto& funding = location->block->block.transactions[location->position];
        touched.insert(chain::ScriptHashOf(funding.outputs[input.prev_index].script_pubkey));
      }
      for (uint32_t vout = 0; vout < tx.outputs.size(); ++vout) {
        ++outputs;
        created.insert({tx.txid, vout});
        touched.insert(chain::ScriptHashOf(tx.outputs[vout].script_pubkey));
      }
      history += touched.size();
    }
  }
  EXPECT_GT(spends, 100u) << "the workload must spend";
  BulkBatch batch = builder.Take();
  EXPECT_EQ(batch.first_height, 0);
  EXPECT_EQ(batch.last_height, node->chain().Height());
  EXPECT_EQ(batch.last_hash, node->chain().Tip()->hash);
  EXPECT_EQ(batch.blocks.rows(), static_cast<size_t>(node->chain().Height() + 1));
  EXPECT_EQ(batch.txs.rows(), txs);
  EXPECT_EQ(batch.transactions, static_cast<int64_t>(txs));
  EXPECT_EQ(batch.outputs.rows(), outputs);
  EXPECT_EQ(batch.spends.rows(), spends);
  EXPECT_EQ(batch.history.rows(), history);
  EXPECT_EQ(unspent.size(), created.size());
  EXPECT_EQ(builder.next_tx_num(), static_cast<int64_t>(txs));
  EXPECT_TRUE(builder.empty());
}

TEST(BulkBatchBuilderTest, RefusesGapsAndUnknownSpends) {
  auto node = GeneratedChain();
  UnspentOutputs unspent;
  BulkBatchBuilder builder(unspent, 0);
  ASSERT_TRUE(builder.Add(Prepare(*node, 0)).ok());
  EXPECT_EQ(builder.Add(Prepare(*node, 2)).code(), absl::StatusCode::kInvalidArgument);

  // Without the earlier blocks' outputs, the first spending block fails.
  absl::Status status;
  for (int height = 1; height <= node->chain().Height() && status.ok(); ++height) {
    UnspentOutputs nothing;
    BulkBatchBuilder fresh(nothing, 1000);
    status = fresh.Add(Prepare(*node, height));
  }
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(status.message().find("not an unspent output"), std::string::npos) << status;
}

TEST(UnspentOutputsTest, SpendRemovesAndLaterDuplicateWins) {
  UnspentOutputs unspent;
  const OutPoint point{chain::TxId(), 3};
  unspent.Add(point, {1, chain::ScriptHash()});
  unspent.Add(point, {9, chain::ScriptHash()});
  EXPECT_EQ(unspent.size(), 1u);
  auto spent = unspent.Spend(point);
  ASSERT_TRUE(spent.has_value());
  EXPECT_EQ(spent->tx_num, 9);
  EXPECT_FALSE(unspent.Spend(point).has_value());
}

TEST(UnspentOutputsTest, EvictsTheOlderGenerationWhenTheYoungerIsFull) {
  UnspentOutputs unspent(4);
  auto point = [](uint32_t vout) { return OutPoint{chain::TxId(), vout}; };
  for (uint32_t vout = 1; vout <= 5; ++vout) unspent.Add(point(vout), {vout, chain::ScriptHash()});
  // {1, 2} aged when 3 arrived, and were dropped when 5 arrived.
  EXPECT_EQ(unspent.evicted(), 2u);
  EXPECT_LE(unspent.size(), unspent.capacity());
  EXPECT_FALSE(unspent.Spend(point(1)).has_value());
  EXPECT_FALSE(unspent.Spend(point(2)).has_value());
  for (uint32_t vout = 3; vout <= 5; ++vout) {
    auto spent = unspent.Spend(point(vout));
    ASSERT_TRUE(spent.has_value()) << vout;
    EXPECT_EQ(spent->tx_num, vout);
  }
  EXPECT_EQ(unspent.size(), 0u);
}

TEST(UnspentOutputsTest, ADuplicateReplacesAnOutputOfTheOlderGeneration) {
  UnspentOutputs unspent(4);
  auto point = [](uint32_t vout) { return OutPoint{chain::TxId(), vout}; };
  unspent.Add(point(1), {1, chain::ScriptHash()});
  unspent.Add(point(2), {2, chain::ScriptHash()});
  unspent.Add(point(3), {3, chain::ScriptHash()});  // ages {1, 2}
  auto replaced = unspent.Add(point(1), {9, chain::ScriptHash()});
  ASSERT_TRUE(replaced.has_value());
  EXPECT_EQ(replaced->tx_num, 1);
  EXPECT_EQ(unspent.size(), 3u);
  EXPECT_EQ(unspent.Spend(point(1))->tx_num, 9);
}

TEST(UnspentOutputsTest, ReloadingNewestFirstKeepsTheNewestWithinCapacity) {
  UnspentOutputs unspent(4);
  auto point = [](uint32_t vout) { return OutPoint{chain::TxId(), vout}; };
  unspent.AddOlder(point(7), {70, chain::ScriptHash()});
  unspent.AddOlder(point(7), {7, chain::ScriptHash()});  // an earlier duplicate loses
  for (uint32_t vout = 6; vout >= 4; --vout) {
    EXPECT_TRUE(unspent.AddOlder(point(vout), {vout, {}}));
  }
  EXPECT_FALSE(unspent.AddOlder(point(3), {3, {}}));
  EXPECT_EQ(unspent.size(), 4u);
  EXPECT_EQ(unspent.evicted(), 1u);
  EXPECT_EQ(unspent.Spend(point(7))->tx_num, 70);
  EXPECT_TRUE(unspent.Spend(point(4)).has_value());
  EXPECT_FALSE(unspent.Spend(point(3)).has_value());
}

TEST(BulkBatchBuilderTest, SpendsOfEvictedOutputsAreStagedAsSpilled) {
  auto node = GeneratedChain();
  UnspentOutputs everything;
  BulkBatchBuilder full(everything, 0);
  UnspentOutputs bounded(16);
  BulkBatchBuilder spilling(bounded, 0);
  for (int height = 0; height <= node->chain().Height(); ++height) {
    ASSERT_TRUE(full.Add(Prepare(*node, height)).ok());
    ASSERT_TRUE(spilling.Add(Prepare(*node, height)).ok());
    EXPECT_LE(bounded.size(), 16u);
  }
  BulkBatch all = full.Take();
  BulkBatch spilled = spilling.Take();
  EXPECT_EQ(all.spilled.rows(), 0u);
  EXPECT_GT(spilled.spilled.rows(), 0u);
  EXPECT_GT(bounded.evicted(), 0u);
  EXPECT_EQ(spilled.spends.rows() + spilled.spilled.rows(), all.spends.rows());
  EXPECT_EQ(spilled.outputs.rows(), all.outputs.rows());
  // The spent scripts' entries of spilled spends come from the finish.
  EXPECT_LT(spilled.history.rows(), all.history.rows());
}

// Below the cancel height, an output spent in its own batch leaves no row;
// the history is the same.
TEST(BulkBatchBuilderTest, OutputsSpentWithinTheBatchAreNotWritten) {
  auto node = GeneratedChain();
  UnspentOutputs everything;
  BulkBatchBuilder full(everything, 0);
  UnspentOutputs same;
  const int32_t cancel_below = node->chain().Height();
  BulkBatchBuilder canceling(same, 0, cancel_below);
  for (int height = 0; height <= node->chain().Height(); ++height) {
    ASSERT_TRUE(full.Add(Prepare(*node, height)).ok());
    ASSERT_TRUE(canceling.Add(Prepare(*node, height)).ok());
  }
  BulkBatch all = full.Take();
  BulkBatch canceled = canceling.Take();
  EXPECT_GT(canceling.canceled(), 0);
  EXPECT_EQ(canceled.outputs.rows() + canceling.canceled(), all.outputs.rows());
  EXPECT_EQ(canceled.spends.rows() + canceling.canceled(), all.spends.rows());
  EXPECT_EQ(canceled.history.rows(), all.history.rows());
  EXPECT_EQ(canceled.history.Finish(), all.history.Finish());
  // The last block's spends (at the cancel height) are all written.
  UnspentOutputs last;
  BulkBatchBuilder at_limit(last, 0, 0);
  for (int height = 0; height <= node->chain().Height(); ++height) {
    ASSERT_TRUE(at_limit.Add(Prepare(*node, height)).ok());
  }
  EXPECT_EQ(at_limit.canceled(), 0);
}

}  // namespace
}  // namespace electrum::storage
