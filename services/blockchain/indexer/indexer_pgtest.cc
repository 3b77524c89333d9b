// The indexer following a simnode over real JSON-RPC into a live PostgreSQL:
// initial sync, new blocks, reorgs, the reorg depth limit, and a node that is
// down.
#include "services/blockchain/indexer/indexer.h"

#include "common/chain/coins.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/chain_index/block_writer.h"
#include "storage/chain_index/bulk_load.h"
#include "storage/chain_index/testing/index_digest.h"
#include "storage/testing/migrated_database.h"
#include "tools/simnode/testing/in_process_simnode.h"
#include "tools/simnode/tx_builder.h"
#include "tools/simnode/workload.h"

namespace electrum::blockchain {
namespace {

using simnode::InProcessSimnode;

std::unique_ptr<storage::TestDatabase> MigratedDatabase() {
  auto database = storage::CreateMigratedTestDatabase("indexer_pgtest");
  EXPECT_TRUE(database.ok()) << database.status();
  return database.ok() ? std::move(*database) : nullptr;
}

class IndexerPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto simnode = InProcessSimnode::Start({.mock_time = 1700000000});
    ASSERT_TRUE(simnode.ok()) << simnode.status();
    simnode_ = std::move(*simnode);
    simnode_->RunOnNode([](simnode::Node& node) {
      simnode::WorkloadGenerator generator({.seed = 21, .blocks = 3, .transactions_per_block = 40});
      ASSERT_TRUE(generator.Run(node).ok());
    });
    node_options_ = node::BitcoindOptions{.port = simnode_->port(),
                                          .user = InProcessSimnode::kUser,
                                          .password = InProcessSimnode::kPassword};
    client_ = std::make_unique<node::BitcoindClient>(node_options_);
    database_ = MigratedDatabase();
    connection_ = std::make_unique<pqxx::connection>(database_->dsn());
  }

  // bulk_min_blocks 0: block by block throughout.
  Indexer MakeIndexer(int32_t max_reorg_depth = 200, int32_t bulk_min_blocks = 0) {
    return Indexer(node_options_, *connection_,
                   {.block_format = chain::BitcoinRegtest().block_format,
                    .max_reorg_depth = max_reorg_depth,
                    .bulk_min_blocks = bulk_min_blocks});
  }

  // The index a fresh sync of the node's current chain produces.
  std::string FreshIndexDigest() {
    auto fresh_database = MigratedDatabase();
    pqxx::connection fresh(fresh_database->dsn());
    Indexer indexer(node_options_, fresh,
                    {.block_format = chain::BitcoinRegtest().block_format, .bulk_min_blocks = 0});
    EXPECT_TRUE(indexer.SyncOnce().ok());
    return storage::IndexDigest(fresh);
  }

  void Reorg(int depth) {
    simnode_->RunOnNode([depth](simnode::Node& node) {
      const int fork = node.chain().Height() - depth;
      ASSERT_TRUE(node.InvalidateBlock(node.chain().AtHeight(fork + 1)->hash).ok());
      ASSERT_TRUE(node.Generate(depth + 1, simnode::P2pkhScript(simnode::Bytes(20, 9))).ok());
    });
  }

  int32_t NodeHeight() {
    int32_t height = 0;
    simnode_->RunOnNode([&](simnode::Node& node) { height = node.chain().Height(); });
    return height;
  }

  std::unique_ptr<InProcessSimnode> simnode_;
  node::BitcoindOptions node_options_;
  std::unique_ptr<node::BitcoindClient> client_;
  std::unique_ptr<storage::TestDatabase> database_;
  std::unique_ptr<pqxx::connection> connection_;
};

TEST_F(IndexerPgTest, SyncsThenFollowsNewBlocks) {
  Indexer indexer = MakeIndexer();
  auto first = indexer.SyncOnce();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->blocks_indexed, NodeHeight() + 1);
  EXPECT_EQ(first->tip_height, NodeHeight());

  auto idle = indexer.SyncOnce();
  ASSERT_TRUE(idle.ok());
  EXPECT_EQ(idle->blocks_indexed, 0);

  simnode_->RunOnNode([](simnode::Node& node) {
    ASSERT_TRUE(node.Generate(2, simnode::P2pkhScript(simnode::Bytes(20, 5))).ok());
  });
  auto more = indexer.SyncOnce();
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more->blocks_indexed, 2);
  EXPECT_EQ(storage::IndexDigest(*connection_), FreshIndexDigest());
}

TEST_F(IndexerPgTest, FollowsReorgsAndConvergesToAFreshIndex) {
  Indexer indexer = MakeIndexer();
  ASSERT_TRUE(indexer.SyncOnce().ok());
  for (int depth : {1, 2, 4}) {
    Reorg(depth);
    auto result = indexer.SyncOnce();
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->blocks_rolled_back, depth);
    EXPECT_EQ(result->blocks_indexed, depth + 1);
    EXPECT_EQ(storage::IndexDigest(*connection_), FreshIndexDigest()) << "depth " << depth;
  }
}

TEST_F(IndexerPgTest, BulkLoadThenBlockByBlockEqualsBlockByBlockThroughout) {
  // Tiny batches and window so the pipeline's stages really interleave.
  Indexer indexer(
      node_options_, *connection_,
      {.block_format = chain::BitcoinRegtest().block_format,
       .bulk_min_blocks = 1,
       .bulk = {.fetch_threads = 3, .fetch_window_blocks = 4, .batch_transactions = 30}});
  auto first = indexer.SyncOnce();
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(first->bulk.has_value());
  EXPECT_EQ(first->bulk->blocks, NodeHeight() + 1);
  EXPECT_EQ(first->tip_height, NodeHeight());
  EXPECT_GT(first->bulk->rows, first->bulk->transactions);
  auto active = storage::BulkLoadActive(*connection_);
  ASSERT_TRUE(active.ok());
  EXPECT_FALSE(*active) << "the pass ends with the indexes rebuilt";
  EXPECT_EQ(storage::IndexDigest(*connection_), FreshIndexDigest());

  // Near the tip: block by block, and reorgs as usual.
  Reorg(2);
  auto after = indexer.SyncOnce();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_FALSE(after->bulk.has_value());
  EXPECT_EQ(after->blocks_rolled_back, 2);
  EXPECT_EQ(storage::IndexDigest(*connection_), FreshIndexDigest());
}

TEST_F(IndexerPgTest, BulkLoadOutgrowingMemorySpillsAndStaysInBulk) {
  Indexer indexer(node_options_, *connection_,
                  {.block_format = chain::BitcoinRegtest().block_format,
                   .bulk_min_blocks = 1,
                   .bulk = {.batch_transactions = 10, .max_unspent_outputs = 50}});
  auto synced = indexer.SyncOnce();
  ASSERT_TRUE(synced.ok()) << synced.status();
  ASSERT_TRUE(synced->bulk.has_value());
  EXPECT_GT(synced->bulk->spilled_spends, 0);
  EXPECT_EQ(synced->bulk->tip_height, NodeHeight()) << "no fall-back to block by block";
  EXPECT_EQ(synced->tip_height, NodeHeight());
  EXPECT_EQ(storage::IndexDigest(*connection_), FreshIndexDigest());
}

TEST_F(IndexerPgTest, RefusesReorgsDeeperThanTheLimit) {
  Indexer indexer = MakeIndexer(/*max_reorg_depth=*/2);
  ASSERT_TRUE(indexer.SyncOnce().ok());
  const std::string before = storage::IndexDigest(*connection_);
  Reorg(3);
  auto result = indexer.SyncOnce();
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("deeper than 2"), std::string::npos);
  EXPECT_EQ(storage::IndexDigest(*connection_), before) << "nothing rewritten";
}

TEST_F(IndexerPgTest, NodeProblemsAreClearErrors) {
  Indexer indexer({.port = 1}, *connection_,
                  {.block_format = chain::BitcoinRegtest().block_format});
  auto result = indexer.SyncOnce();
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(result.status().message().find("node unreachable"), std::string::npos);

  node::BitcoindClient wrong({.port = simnode_->port(), .user = "test", .password = "nope"});
  EXPECT_EQ(wrong.GetBlockCount().status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(client_->GetBlockHash(100000).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client_->GetBlock(chain::BlockHash()).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace electrum::blockchain
