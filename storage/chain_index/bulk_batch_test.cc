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

}  // namespace
}  // namespace electrum::storage
