// The bulk load against a live PostgreSQL: a chain loaded in bulk batches
// (on top of blocks indexed one by one) equals the block-by-block index, the
// dropped indexes come back exactly, an interrupted load resumes from the
// database, and rollbacks during a load stay consistent.
#include "storage/chain_index/bulk_load.h"

#include "common/chain/coins.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/chain_index/block_writer.h"
#include "storage/chain_index/testing/generated_chain.h"
#include "storage/chain_index/testing/index_digest.h"
#include "storage/chain_index/undo_window.h"
#include "storage/migrate/migrator.h"
#include "storage/migrations/embedded_migrations.h"
#include "storage/testing/migrated_database.h"
#include "storage/testing/test_database.h"
#include "tools/simnode/node.h"
#include "tools/simnode/workload.h"

namespace electrum::storage {
namespace {

constexpr size_t kNoLimit = 1 << 30;
// IndexBlock's default, so both ways of loading keep the same undo rows.
constexpr int32_t kUndoDepth = 200;

std::unique_ptr<TestDatabase> MigratedDatabase() {
  auto database = CreateMigratedTestDatabase("bulk_load_pgtest");
  EXPECT_TRUE(database.ok()) << database.status();
  return database.ok() ? std::move(*database) : nullptr;
}

std::unique_ptr<simnode::Node> GeneratedChain() {
  auto node = GenerateChain({.seed = 17, .blocks = 6, .transactions_per_block = 40});
  EXPECT_TRUE(node.ok()) << node.status();
  return node.ok() ? std::move(*node) : nullptr;
}

PreparedBlock Prepare(const simnode::Node& node, int height) {
  auto prepared = PrepareNodeBlock(node, height);
  EXPECT_TRUE(prepared.ok()) << prepared.status();
  return prepared.ok() ? std::move(*prepared) : PreparedBlock();
}

void IndexOneByOne(pqxx::connection_base& connection, const simnode::Node& node, int from, int to) {
  for (int height = from; height <= to; ++height) {
    const simnode::BlockEntry* entry = node.chain().AtHeight(height);
    ASSERT_TRUE(IndexBlock(connection, {height, entry->hash, &entry->block}).ok());
  }
}

// Loads [from, to] in batches of `batch_blocks`, resuming from the database
// state (as a restarted indexer does).
void BulkLoad(pqxx::connection_base& connection, const simnode::Node& node, int from, int to,
              int batch_blocks, size_t capacity = kNoLimit, int32_t cancel_below = -1,
              int64_t* canceled = nullptr) {
  ASSERT_TRUE(BeginBulkLoad(connection).ok());
  UnspentOutputs unspent;
  ASSERT_TRUE(LoadUnspentOutputs(connection, capacity, unspent).ok());
  auto next_tx_num = ReadNextTxNum(connection);
  ASSERT_TRUE(next_tx_num.ok());
  BulkBatchBuilder builder(unspent, *next_tx_num, cancel_below);
  for (int height = from; height <= to; ++height) {
    ASSERT_TRUE(builder.Add(Prepare(node, height)).ok());
    if ((height - from + 1) % batch_blocks == 0 || height == to) {
      BulkBatch batch = builder.Take();
      absl::Status written = WriteBulkBatch(connection, batch);
      ASSERT_TRUE(written.ok()) << written;
    }
  }
  if (canceled != nullptr) *canceled = builder.canceled();
}

std::string Schema(pqxx::connection_base& connection) {
  pqxx::work transaction(connection);
  std::string out;
  for (const auto& row : transaction.exec(
           "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1")) {
    out += row[0].as<std::string>() + "\n";
  }
  for (const auto& row :
       transaction.exec("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                        "WHERE connamespace = current_schema()::regnamespace ORDER BY 1")) {
    out += row[0].as<std::string>() + " " + row[1].as<std::string>() + "\n";
  }
  return out;
}

size_t StagedRows(pqxx::connection_base& connection) {
  pqxx::work transaction(connection);
  return transaction
      .exec1(
          "SELECT (SELECT count(*) FROM bulk_outputs) + (SELECT count(*) FROM bulk_spends) + "
          "       (SELECT count(*) FROM bulk_spilled_spends)")[0]
      .as<size_t>();
}

int64_t SpilledSpends(pqxx::connection_base& connection) {
  pqxx::work transaction(connection);
  return transaction.exec1("SELECT count(*) FROM bulk_spilled_spends")[0].as<int64_t>();
}

// Small enough that the test chain's unspent outputs never fit.
constexpr size_t kTinyMemory = 8;

class BulkLoadPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = GeneratedChain();
    height_ = node_->chain().Height();
    reference_database_ = MigratedDatabase();
    reference_ = std::make_unique<pqxx::connection>(reference_database_->dsn());
    IndexOneByOne(*reference_, *node_, 0, height_);
    database_ = MigratedDatabase();
    connection_ = std::make_unique<pqxx::connection>(database_->dsn());
  }

  FinishTimings Finish() {
    // Scripts with 3 entries or more are packed whole: both forms are used.
    auto finished = FinishBulkLoad(*connection_, "64MB", kUndoDepth, /*history_keyed_from=*/3);
    EXPECT_TRUE(finished.ok()) << finished.status();
    if (!finished.ok()) return {};
    pqxx::work transaction(*connection_);
    EXPECT_GT(transaction.exec1("SELECT count(*) FROM history_ranges")[0].as<int>(), 0);
    EXPECT_GT(transaction.exec1("SELECT count(*) FROM history_keys")[0].as<int>(), 0);
    transaction.commit();
    auto active = BulkLoadActive(*connection_);
    EXPECT_TRUE(active.ok() && !*active);
    EXPECT_EQ(StagedRows(*connection_), 0u);
    return *finished;
  }

  std::unique_ptr<simnode::Node> node_;
  int height_ = 0;
  std::unique_ptr<TestDatabase> reference_database_;
  std::unique_ptr<pqxx::connection> reference_;
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<pqxx::connection> connection_;
};

TEST_F(BulkLoadPgTest, BulkLoadOnTopOfSingleBlocksEqualsTheBlockByBlockIndex) {
  const std::string schema = Schema(*connection_);
  // Blocks before the load are spent from during it (outputs UPDATE path).
  IndexOneByOne(*connection_, *node_, 0, 101);
  BulkLoad(*connection_, *node_, 102, height_, 3);
  auto active = BulkLoadActive(*connection_);
  ASSERT_TRUE(active.ok());
  EXPECT_TRUE(*active);
  EXPECT_NE(Schema(*connection_), schema) << "indexes are dropped during the load";
  EXPECT_GT(StagedRows(*connection_), 0u);
  Finish();
  EXPECT_EQ(Schema(*connection_), schema) << "every index and key is back";
  EXPECT_EQ(IndexDigest(*connection_), IndexDigest(*reference_));
  // Steady-state writing works on the finished index.
  ASSERT_TRUE(RollbackTo(*connection_, height_ - 2).ok());
  IndexOneByOne(*connection_, *node_, height_ - 1, height_);
  EXPECT_EQ(IndexDigest(*connection_), IndexDigest(*reference_));
}

TEST_F(BulkLoadPgTest, InterruptedLoadResumesFromTheDatabase) {
  // Each call starts from a fresh in-memory state, like a restarted process.
  BulkLoad(*connection_, *node_, 0, 103, 4);
  BulkLoad(*connection_, *node_, 104, 105, 1);
  UnspentOutputs too_many;
  ASSERT_TRUE(LoadUnspentOutputs(*connection_, 4, too_many).ok());
  EXPECT_EQ(too_many.size(), 4u) << "the newest fill the capacity";
  EXPECT_GT(too_many.evicted(), 0u) << "so later misses spill";
  BulkLoad(*connection_, *node_, 106, height_, 2);
  ASSERT_TRUE(BeginBulkLoad(*connection_).ok()) << "idempotent";
  Finish();
  auto again = FinishBulkLoad(*connection_, "64MB", kUndoDepth);
  EXPECT_TRUE(again.ok()) << "idempotent";
  EXPECT_EQ(IndexDigest(*connection_), IndexDigest(*reference_));
}

// A deep reorg after the load empties some packed rows and cuts others.
TEST_F(BulkLoadPgTest, RollbackAfterTheLoadTrimsThePackedRows) {
  BulkLoad(*connection_, *node_, 0, height_, 4);
  Finish();
  ASSERT_TRUE(RollbackTo(*connection_, 101).ok());
  IndexOneByOne(*connection_, *node_, 102, height_);
  EXPECT_EQ(IndexDigest(*connection_), IndexDigest(*reference_));
}

TEST_F(BulkLoadPgTest, RollbackDuringTheLoadStaysConsistent) {
  BulkLoad(*connection_, *node_, 0, height_, 5);
  ASSERT_TRUE(RollbackTo(*connection_, height_ - 4).ok());
  BulkLoad(*connection_, *node_, height_ - 3, height_, 2);
  Finish();
  EXPECT_EQ(IndexDigest(*connection_), IndexDigest(*reference_));
}

// Outputs evicted from memory: their spends are resolved by the finish, on
// top of block-by-block rows (utxos) and across resumed processes.
TEST_F(BulkLoadPgTest, ALoadThatSpillsEqualsTheBlockByBlockIndex) {
  IndexOneByOne(*connection_, *node_, 0, 101);
  BulkLoad(*connection_, *node_, 102, 103, 1, kTinyMemory);
  BulkLoad(*connection_, *node_, 104, height_, 2, kTinyMemory);
  EXPECT_GT(SpilledSpends(*connection_), 0);
  const FinishTimings timings = Finish();
  EXPECT_GT(timings.spilled_spends, 0);
  EXPECT_EQ(IndexDigest(*connection_), IndexDigest(*reference_));
}

// Outputs created and spent within a batch below the undo window are never
// staged; the index is the same as one written block by block with that
// window, also when memory spills too.
TEST_F(BulkLoadPgTest, OutputsSpentWithinABatchLeaveTheSameIndex) {
  constexpr int32_t kShortWindow = 1;
  auto short_window = MigratedDatabase();
  pqxx::connection reference(short_window->dsn());
  for (int height = 0; height <= height_; ++height) {
    const simnode::BlockEntry* entry = node_->chain().AtHeight(height);
    const BlockToIndex block{height, entry->hash, &entry->block};
    ASSERT_TRUE(IndexBlocks(reference, {&block, 1}, {.undo_depth = kShortWindow}).ok());
  }
  for (size_t capacity : {kNoLimit, kTinyMemory}) {
    auto database = MigratedDatabase();
    pqxx::connection connection(database->dsn());
    int64_t canceled = 0;
    BulkLoad(connection, *node_, 0, height_, 50, capacity, height_ - 2 * kShortWindow - 1,
             &canceled);
    EXPECT_GT(canceled, 0) << capacity;
    // Blocks whose spends were canceled can no longer be undone.
    int32_t undo_from = 0;
    {
      pqxx::work transaction(connection);
      undo_from = ReadUndoFromHeight(transaction);
    }
    EXPECT_GT(undo_from, 100);
    EXPECT_EQ(RollbackTo(connection, undo_from - 2).code(), absl::StatusCode::kFailedPrecondition);
    auto finished = FinishBulkLoad(connection, "64MB", kShortWindow, 3);
    ASSERT_TRUE(finished.ok()) << finished.status();
    EXPECT_EQ(IndexDigest(connection), IndexDigest(reference)) << capacity;
  }
}

TEST_F(BulkLoadPgTest, RollbackDuringASpillingLoadDropsTheRemovedSpends) {
  BulkLoad(*connection_, *node_, 0, height_, 3, kTinyMemory);
  const int64_t spilled = SpilledSpends(*connection_);
  ASSERT_TRUE(RollbackTo(*connection_, height_ - 3).ok());
  EXPECT_LT(SpilledSpends(*connection_), spilled);
  BulkLoad(*connection_, *node_, height_ - 2, height_, 1, kTinyMemory);
  Finish();
  EXPECT_EQ(IndexDigest(*connection_), IndexDigest(*reference_));
}

TEST_F(BulkLoadPgTest, ASpilledSpendOfNoOutputFailsTheFinishAndKeepsTheLoad) {
  BulkLoad(*connection_, *node_, 0, height_, 5, kTinyMemory);
  {
    pqxx::work transaction(*connection_);
    transaction.exec(
        "INSERT INTO bulk_spilled_spends (txid, vout, spent_tx_num) "
        "SELECT txid, 999, tx_num + 1 FROM bulk_txids ORDER BY tx_num DESC LIMIT 1");
    transaction.commit();
  }
  auto finished = FinishBulkLoad(*connection_, "64MB", kUndoDepth);
  EXPECT_EQ(finished.status().code(), absl::StatusCode::kDataLoss) << finished.status();
  EXPECT_NE(finished.status().message().find("reindex"), std::string::npos);
  auto active = BulkLoadActive(*connection_);
  ASSERT_TRUE(active.ok());
  EXPECT_TRUE(*active) << "nothing of the finish is applied";
}

TEST_F(BulkLoadPgTest, BatchesThatDoNotExtendTheTipWriteNothing) {
  // Blocks up to 100 hold only coinbases: they need no earlier outputs.
  BulkLoad(*connection_, *node_, 0, 50, 10);
  const std::string before = IndexDigest(*connection_);
  auto next_tx_num = ReadNextTxNum(*connection_);
  ASSERT_TRUE(next_tx_num.ok());
  UnspentOutputs unspent;

  BulkBatchBuilder wrong_numbers(unspent, *next_tx_num + 1);
  ASSERT_TRUE(wrong_numbers.Add(Prepare(*node_, 51)).ok());
  BulkBatch misnumbered = wrong_numbers.Take();
  EXPECT_EQ(WriteBulkBatch(*connection_, misnumbered).code(),
            absl::StatusCode::kFailedPrecondition);

  BulkBatchBuilder gap(unspent, *next_tx_num);
  ASSERT_TRUE(gap.Add(Prepare(*node_, 52)).ok());
  BulkBatch skipping = gap.Take();
  EXPECT_EQ(WriteBulkBatch(*connection_, skipping).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(IndexDigest(*connection_), before);
}

// A bulk load interrupted under schema 2 (keys dropped, definitions kept)
// finishes under the latest schema with every key back.
TEST(BulkLoadMigrationPgTest, MigrationsApplyDuringAnInterruptedBulkLoad) {
  auto database = TestDatabase::Create("bulk_load_migration");
  ASSERT_TRUE(database.ok()) << database.status();
  pqxx::connection connection((*database)->dsn());
  const std::vector<Migration>& all = EmbeddedMigrations();
  ASSERT_GE(all.size(), 6u);
  ASSERT_TRUE(
      ApplyMigrations(connection, std::vector<Migration>(all.begin(), all.begin() + 2)).ok());
  ASSERT_TRUE(BeginBulkLoad(connection).ok());
  auto upgraded = ApplyMigrations(connection, all);
  ASSERT_TRUE(upgraded.ok()) << upgraded.status();
  auto finished = FinishBulkLoad(connection, "64MB", kUndoDepth);
  ASSERT_TRUE(finished.ok()) << finished.status();
  pqxx::work transaction(connection);
  EXPECT_EQ(transaction.exec1("SELECT count(*) FROM bulk_dropped_indexes")[0].as<int>(), 0);
  EXPECT_EQ(transaction
                .exec1("SELECT count(*) FROM pg_constraint WHERE conname IN "
                       "('block_txids_pkey', 'utxos_pkey', 'history_keys_pkey')")[0]
                .as<int>(),
            3);
}

// Schema 6 converts schema-5 history rows into history_keys rows that read
// back the same.
TEST(BulkLoadMigrationPgTest, SchemaSixConvertsHistoryRows) {
  auto database = TestDatabase::Create("history_conversion");
  ASSERT_TRUE(database.ok()) << database.status();
  pqxx::connection connection((*database)->dsn());
  const std::vector<Migration>& all = EmbeddedMigrations();
  ASSERT_GE(all.size(), 6u);
  ASSERT_TRUE(
      ApplyMigrations(connection, std::vector<Migration>(all.begin(), all.begin() + 5)).ok());
  {
    pqxx::work transaction(connection);
    // Script a: three entries over two blocks; script b: one.
    transaction.exec(
        "INSERT INTO txs (tx_num, txid, height) "
        "SELECT n, sha256(int8send(n)), n / 2 FROM generate_series(0, 5) AS n");
    transaction.exec(
        "INSERT INTO history (scripthash, tx_num, txid, height) "
        "SELECT sha256(s::bytea), n, sha256(int8send(n)), n / 2 "
        "FROM (VALUES ('a', 1), ('a', 2), ('a', 5), ('b', 3)) AS v(s, n)");
    transaction.commit();
  }
  auto upgraded = ApplyMigrations(connection, all);
  ASSERT_TRUE(upgraded.ok()) << upgraded.status();
  pqxx::work transaction(connection);
  EXPECT_EQ(transaction.exec1("SELECT count(*) FROM history_keys")[0].as<int>(), 4);
  EXPECT_EQ(transaction
                .exec1("SELECT string_agg(tx_num || ':' || height, ',' ORDER BY tx_num) "
                       "FROM electrum_history(sha256('a'::bytea)) "
                       "WHERE txid = sha256(int8send(tx_num))")[0]
                .as<std::string>(),
            "1:0,2:1,5:2");
  EXPECT_EQ(transaction
                .exec1("SELECT string_agg(tx_num::text, ',') "
                       "FROM electrum_history(sha256('b'::bytea))")[0]
                .as<std::string>(),
            "3");
}

}  // namespace
}  // namespace electrum::storage
