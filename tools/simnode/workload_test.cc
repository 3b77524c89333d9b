#include "tools/simnode/workload.h"

#include <map>

#include "common/chain/electrum_hashes.h"
#include "gtest/gtest.h"

namespace electrum::simnode {
namespace {

std::unique_ptr<Node> RunWorkload(const WorkloadOptions& options) {
  auto node = Node::Open({.mock_time = 1700000000}, nullptr);
  EXPECT_TRUE(node.ok());
  WorkloadGenerator generator(options);
  absl::Status status = generator.Run(**node);
  EXPECT_TRUE(status.ok()) << status;
  return std::move(*node);
}

TEST(WorkloadTest, SameSeedSameChainOtherSeedOtherChain) {
  WorkloadOptions options{.seed = 7, .blocks = 5, .transactions_per_block = 200};
  auto first = RunWorkload(options);
  auto second = RunWorkload(options);
  EXPECT_EQ(first->chain().Tip()->hash, second->chain().Tip()->hash);
  options.seed = 8;
  auto third = RunWorkload(options);
  EXPECT_NE(first->chain().Tip()->hash, third->chain().Tip()->hash);
}

TEST(WorkloadTest, RealisticShapesAndAHeavyTail) {
  WorkloadOptions options{.seed = 3, .blocks = 10, .transactions_per_block = 500};
  WorkloadGenerator generator(options);
  auto node = Node::Open({.mock_time = 1700000000}, nullptr);
  ASSERT_TRUE(node.ok());
  ASSERT_TRUE(generator.Run(**node).ok());

  std::map<std::string, int> script_types;  // by first byte / length
  std::map<chain::ScriptHash, int> uses;
  size_t transactions = 0;
  size_t spending = 0;
  const Chain& chain = (*node)->chain();
  for (int height = chain.Height() - options.blocks + 1; height <= chain.Height(); ++height) {
    const auto& block = chain.AtHeight(height)->block;
    for (size_t t = 1; t < block.transactions.size(); ++t) {
      ++transactions;
      spending += !block.transactions[t].inputs.empty();
      for (const auto& output : block.transactions[t].outputs) {
        EXPECT_GE(output.value, 0);
        const auto& script = output.script_pubkey;
        std::string type = script[0] == 0x76     ? "p2pkh"
                           : script[0] == 0xa9   ? "p2sh"
                           : script[0] == 0x6a   ? "op_return"
                           : script[0] == 0x51   ? "p2tr"
                           : script.size() == 22 ? "p2wpkh"
                                                 : "p2wsh";
        ++script_types[type];
        ++uses[chain::ScriptHashOf(script)];
      }
    }
  }
  EXPECT_EQ(transactions, 10u * 500u);
  EXPECT_EQ(generator.transactions_generated(), transactions);
  for (const char* type : {"p2pkh", "p2sh", "p2wpkh", "p2wsh", "p2tr", "op_return"}) {
    EXPECT_GT(script_types[type], 0) << type;
  }
  // A hot script collects its share (15% of outputs over 3 scripts) and far
  // more than the typical script.
  int hot_uses = uses[chain::ScriptHashOf(generator.HotScript(1))];
  size_t outputs = 0;
  for (const auto& [type, count] : script_types) outputs += count;
  EXPECT_GT(hot_uses, static_cast<int>(outputs * 0.15 / 3 * 0.8));
  EXPECT_GT(hot_uses, 50 * static_cast<double>(outputs) / uses.size());
  int single_use = 0;
  for (const auto& [hash, count] : uses) single_use += count == 1;
  EXPECT_GT(single_use, static_cast<int>(uses.size()) / 2) << "most scripts are rare";
}

TEST(WorkloadTest, ChurnFeedsTheMempoolWithChainsOfTransactions) {
  auto node = RunWorkload({.seed = 5, .blocks = 3, .transactions_per_block = 100});
  WorkloadGenerator churn({.seed = 99});
  churn.AdoptChain(*node, 10);
  int accepted = 0;
  for (int i = 0; i < 300; ++i) {
    auto tx = churn.NextChurnTransaction();
    ASSERT_TRUE(tx.has_value());
    auto result = node->SubmitTransaction(tx->raw, kMaxFeeRatePerKvb);
    ASSERT_TRUE(std::holds_alternative<TxId>(result)) << std::get<RejectReason>(result).message;
    churn.Accepted();
    ++accepted;
  }
  EXPECT_EQ(node->mempool().Size(), 300u);
  size_t with_parents = 0;
  for (const MempoolEntry* entry : node->mempool().Entries())
    with_parents += !entry->depends.empty();
  EXPECT_GT(with_parents, 0u) << "some spend unconfirmed outputs";
  ASSERT_TRUE(node->Generate(1, Bytes{0x51}).ok());
  EXPECT_EQ(node->mempool().Size(), 0u);
  EXPECT_EQ(node->chain().Tip()->block.transactions.size(), 301u);
}

}  // namespace
}  // namespace electrum::simnode
