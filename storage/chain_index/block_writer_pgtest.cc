// Indexes a simnode chain into a live PostgreSQL and compares every table
// with values computed independently from the blocks; then follows a reorg
// and compares with a fresh index of the new chain.
#include "storage/chain_index/block_writer.h"

#include <map>
#include <set>

#include "common/chain/electrum_hashes.h"
#include "common/crypto/hex.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/chain_index/testing/index_digest.h"
#include "storage/testing/migrated_database.h"
#include "tools/simnode/node.h"
#include "tools/simnode/workload.h"

namespace electrum::storage {
namespace {

using simnode::Node;

std::unique_ptr<TestDatabase> MigratedDatabase() {
  auto database = CreateMigratedTestDatabase("block_writer_pgtest");
  EXPECT_TRUE(database.ok()) << database.status();
  return database.ok() ? std::move(*database) : nullptr;
}

absl::Status IndexRange(pqxx::connection_base& connection, const Node& node, int from, int to) {
  for (int height = from; height <= to; ++height) {
    const simnode::BlockEntry* entry = node.chain().AtHeight(height);
    absl::Status status = IndexBlock(connection, {height, entry->hash, &entry->block});
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// The index content computed straight from the active chain.
struct Expected {
  size_t txs = 0;
  size_t outputs = 0;
  size_t spent = 0;
  std::map<std::string, std::set<int64_t>> history;  // scripthash hex -> tx_nums
};

Expected Compute(const Node& node) {
  Expected expected;
  std::map<simnode::Outpoint, std::string> scripthash_of;
  int64_t tx_num = 0;
  for (int height = 0; height <= node.chain().Height(); ++height) {
    for (const auto& tx : node.chain().AtHeight(height)->block.transactions) {
      ++expected.txs;
      if (height > 0) {
        if (!tx.IsCoinbase()) {
          for (const auto& input : tx.inputs) {
            expected.history[scripthash_of.at({input.prev_txid, input.prev_index})].insert(tx_num);
          }
        }
        for (uint32_t vout = 0; vout < tx.outputs.size(); ++vout) {
          std::string hash = ToHex(chain::ScriptHashOf(tx.outputs[vout].script_pubkey).span());
          scripthash_of[{tx.txid, vout}] = hash;
          expected.history[hash].insert(tx_num);
          ++expected.outputs;
          expected.spent += node.chain().FindCoin({tx.txid, vout}) == nullptr;
        }
      }
      ++tx_num;
    }
  }
  return expected;
}

void ExpectMatches(pqxx::connection_base& connection, const Node& node) {
  Expected expected = Compute(node);
  pqxx::work transaction(connection);
  EXPECT_EQ(transaction.exec1("SELECT count(*) FROM chain_transactions")[0].as<size_t>(),
            expected.txs);
  // Unspent outputs stay; the spent ones wait in spent_undo (these chains
  // are shorter than the undo window).
  EXPECT_EQ(transaction.exec1("SELECT count(*) FROM utxos")[0].as<size_t>(),
            expected.outputs - expected.spent);
  EXPECT_EQ(transaction.exec1("SELECT count(*) FROM spent_undo")[0].as<size_t>(), expected.spent);
  // Block by block, every history entry is in a history_keys row of its
  // script and block.
  std::map<std::string, std::set<int64_t>> history;
  for (const auto& row :
       transaction.exec("SELECT encode(k.scripthash, 'hex'), e.tx_num "
                        "FROM history_keys k, history_keyed_entries(k.entries) e")) {
    history[row[0].as<std::string>()].insert(row[1].as<int64_t>());
  }
  EXPECT_EQ(history, expected.history);
  // The same through the SQL function other tools use.
  for (const auto& [scripthash, tx_nums] : expected.history) {
    std::set<int64_t> read;
    for (const auto& row : transaction.exec_params(
             "SELECT tx_num FROM electrum_history(decode($1, 'hex'))", scripthash)) {
      read.insert(row[0].as<int64_t>());
    }
    EXPECT_EQ(read, tx_nums) << scripthash;
  }
  pqxx::row tip = transaction.exec1("SELECT height, encode(hash, 'hex') FROM chain_tip");
  EXPECT_EQ(tip[0].as<int>(), node.chain().Height());
  EXPECT_EQ(tip[1].as<std::string>(), ToHex(node.chain().Tip()->hash.span()));
}

std::unique_ptr<Node> GeneratedChain() {
  auto node = Node::Open({.mock_time = 1700000000}, nullptr);
  EXPECT_TRUE(node.ok());
  simnode::WorkloadGenerator generator({.seed = 11, .blocks = 4, .transactions_per_block = 60});
  EXPECT_TRUE(generator.Run(**node).ok());
  return std::move(*node);
}

TEST(BlockWriterPgTest, IndexMatchesTheChain) {
  auto database = MigratedDatabase();
  pqxx::connection connection(database->dsn());
  auto node = GeneratedChain();
  ASSERT_TRUE(IndexRange(connection, *node, 0, node->chain().Height()).ok());
  ExpectMatches(connection, *node);
  auto tip = ReadIndexTip(connection);
  ASSERT_TRUE(tip.ok() && tip->has_value());
  EXPECT_EQ((*tip)->hash, node->chain().Tip()->hash);
}

TEST(BlockWriterPgTest, BatchesIndexExactlyLikeSingleBlocks) {
  auto node = GeneratedChain();
  auto single_database = MigratedDatabase();
  pqxx::connection single(single_database->dsn());
  ASSERT_TRUE(IndexRange(single, *node, 0, node->chain().Height()).ok());

  auto batched_database = MigratedDatabase();
  pqxx::connection batched(batched_database->dsn());
  const int height = node->chain().Height();
  for (int from = 0; from <= height; from += 7) {
    std::vector<BlockToIndex> batch;
    for (int h = from; h <= std::min(height, from + 6); ++h) {
      const auto* entry = node->chain().AtHeight(h);
      batch.push_back({h, entry->hash, &entry->block});
    }
    absl::Status status = IndexBlocks(batched, batch, {.relaxed_commit = true});
    ASSERT_TRUE(status.ok()) << status;
  }
  EXPECT_EQ(IndexDigest(batched), IndexDigest(single));

  // A batch whose blocks do not link is refused before anything is written.
  auto gap_database = MigratedDatabase();
  pqxx::connection gap(gap_database->dsn());
  const auto* zero = node->chain().AtHeight(0);
  const auto* two = node->chain().AtHeight(2);
  std::vector<BlockToIndex> broken = {{0, zero->hash, &zero->block}, {1, two->hash, &two->block}};
  EXPECT_EQ(IndexBlocks(gap, broken, {}).code(), absl::StatusCode::kInvalidArgument);
}

TEST(BlockWriterPgTest, RefusesBlocksThatDoNotExtendTheTip) {
  auto database = MigratedDatabase();
  pqxx::connection connection(database->dsn());
  auto node = GeneratedChain();
  ASSERT_TRUE(IndexRange(connection, *node, 0, 5).ok());
  const std::string before = IndexDigest(connection);
  const auto* skip = node->chain().AtHeight(7);
  absl::Status gap = IndexBlock(connection, {7, skip->hash, &skip->block});
  EXPECT_EQ(gap.code(), absl::StatusCode::kAborted);
  const auto* again = node->chain().AtHeight(5);
  EXPECT_EQ(IndexBlock(connection, {5, again->hash, &again->block}).code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(IndexDigest(connection), before) << "a refused block writes nothing";
}

TEST(BlockWriterPgTest, ReorgsConvergeToAFreshIndexOfTheNewChain) {
  auto database = MigratedDatabase();
  pqxx::connection connection(database->dsn());
  auto node = GeneratedChain();
  const int height = node->chain().Height();
  ASSERT_TRUE(IndexRange(connection, *node, 0, height).ok());

  for (int depth : {1, 3}) {
    const int fork = node->chain().Height() - depth;
    ASSERT_TRUE(node->InvalidateBlock(node->chain().AtHeight(fork + 1)->hash).ok());
    ASSERT_TRUE(node->Generate(depth + 1, simnode::WorkloadGenerator({}).HotScript(2)).ok());
    ASSERT_TRUE(RollbackTo(connection, fork).ok());
    ASSERT_TRUE(IndexRange(connection, *node, fork + 1, node->chain().Height()).ok());
    ExpectMatches(connection, *node);

    auto fresh_database = MigratedDatabase();
    pqxx::connection fresh(fresh_database->dsn());
    ASSERT_TRUE(IndexRange(fresh, *node, 0, node->chain().Height()).ok());
    EXPECT_EQ(IndexDigest(connection), IndexDigest(fresh)) << "depth " << depth;
  }
  EXPECT_EQ(RollbackTo(connection, node->chain().Height() + 5).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace electrum::storage
