#include "tools/simnode/mainnet_workload.h"

#include <algorithm>
#include <map>

#include "common/chain/electrum_hashes.h"
#include "gtest/gtest.h"
#include "tools/simnode/block_assembler.h"

namespace electrum::simnode {
namespace {

std::unique_ptr<Node> Generate(const MainnetShapeOptions& options, uint64_t* generated) {
  auto node = Node::Open({.mock_time = 1700000000}, nullptr);
  EXPECT_TRUE(node.ok());
  MainnetWorkload workload(options);
  absl::Status status = workload.Run(**node);
  EXPECT_TRUE(status.ok()) << status;
  if (generated != nullptr) *generated = workload.transactions_generated();
  return std::move(*node);
}

TEST(MainnetWorkloadTest, SameSeedSameChainOtherSeedOtherChain) {
  MainnetShapeOptions options{.seed = 4, .transactions = 6000, .transactions_per_block = 500};
  auto first = Generate(options, nullptr);
  auto second = Generate(options, nullptr);
  EXPECT_EQ(first->chain().Tip()->hash, second->chain().Tip()->hash);
  options.seed = 5;
  EXPECT_NE(first->chain().Tip()->hash, Generate(options, nullptr)->chain().Tip()->hash);
}

// The calibration of docs/mainnet_shape.md, checked on 150k transactions.
TEST(MainnetWorkloadTest, ShapedLikeMainnet) {
  const MainnetShapeOptions options{
      .seed = 1, .transactions = 150000, .transactions_per_block = 1500};
  uint64_t generated = 0;
  auto node = Generate(options, &generated);
  const Chain& chain = node->chain();
  std::map<std::string, int64_t> shapes;
  std::map<chain::ScriptHash, int64_t> uses;
  int64_t transactions = 0, inputs = 0, spendable_outputs = 0, data_outputs = 0, witness = 0;
  int max_inputs = 0, max_outputs = 0;
  size_t smallest_block = SIZE_MAX, largest_block = 0;
  for (int height = kCoinbaseMaturity + 2; height <= chain.Height(); ++height) {
    const auto& block = chain.AtHeight(height)->block;
    smallest_block = std::min(smallest_block, block.transactions.size() - 1);
    largest_block = std::max(largest_block, block.transactions.size() - 1);
  }
  for (int height = 1; height <= chain.Height(); ++height) {
    const auto& block = chain.AtHeight(height)->block;
    for (size_t t = 0; t < block.transactions.size(); ++t) {
      const Transaction& tx = block.transactions[t];
      int outputs = 0;
      for (const auto& output : tx.outputs) {
        if (output.script_pubkey[0] == 0x6a) {
          ++data_outputs;
          continue;
        }
        ++outputs;
        ++uses[chain::ScriptHashOf(output.script_pubkey)];
        witness += output.script_pubkey[0] == 0x00 || output.script_pubkey[0] == 0x51;
      }
      spendable_outputs += outputs;
      if (t == 0) continue;
      ++transactions;
      const int in = static_cast<int>(tx.inputs.size());
      inputs += in;
      max_inputs = std::max(max_inputs, in);
      max_outputs = std::max(max_outputs, outputs);
      shapes[in == 1 && outputs == 1   ? "1-1"
             : in == 1 && outputs == 2 ? "1-2"
             : in == 1                 ? "1-many"
             : outputs == 1            ? "many-1"
                                       : "other"]++;
    }
  }
  ASSERT_EQ(static_cast<uint64_t>(transactions), generated);
  EXPECT_GE(transactions, options.transactions);
  auto share = [&](const char* shape) { return static_cast<double>(shapes[shape]) / transactions; };
  EXPECT_NEAR(share("1-2"), 0.60, 0.05);
  EXPECT_NEAR(share("1-1"), 0.26, 0.05);
  EXPECT_GT(share("1-many"), 0.03);
  EXPECT_GT(share("many-1"), 0.04);
  EXPECT_GT(max_outputs, 100) << "a tail of large batch payouts";
  EXPECT_GT(max_inputs, 100) << "a tail of large consolidations";
  EXPECT_GT(data_outputs, transactions / 40);
  // Mainnet keeps about one unspent output per 6-7 transactions.
  const double unspent_per_tx = static_cast<double>(spendable_outputs - inputs) / transactions;
  EXPECT_GT(unspent_per_tx, 1.0 / 9) << unspent_per_tx;
  EXPECT_LT(unspent_per_tx, 1.0 / 4.5) << unspent_per_tx;
  // Most scripts appear once; the most used one holds over 1% of outputs.
  int64_t once = 0, top = 0;
  for (const auto& [hash, count] : uses) {
    once += count == 1;
    top = std::max(top, count);
  }
  EXPECT_GT(once, static_cast<int64_t>(uses.size()) * 6 / 10);
  EXPECT_GT(top, spendable_outputs / 100);
  const double witness_share = static_cast<double>(witness) / spendable_outputs;
  EXPECT_NEAR(witness_share, 0.49, 0.06);
  // Blocks vary in size around the mean.
  EXPECT_LT(smallest_block, 1000u);
  EXPECT_GT(largest_block, 2000u);
}

}  // namespace
}  // namespace electrum::simnode
