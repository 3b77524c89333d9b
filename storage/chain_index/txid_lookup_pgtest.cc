// Schema 8's txid storage against a live PostgreSQL: txs rows convert into
// block_txids and txid_ranges (also in the middle of a bulk load), and the
// txid lookup stays exact across a bulk load, block-by-block indexing and
// rollbacks, however the 6-byte range keys match.
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/chain_index/block_writer.h"
#include "storage/chain_index/bulk_load.h"
#include "storage/chain_index/chain_reads.h"
#include "storage/chain_index/testing/generated_chain.h"
#include "storage/migrate/migrator.h"
#include "storage/migrations/embedded_migrations.h"
#include "storage/testing/migrated_database.h"
#include "storage/testing/test_database.h"
#include "tools/simnode/node.h"

namespace electrum::storage {
namespace {

constexpr int32_t kUndoDepth = 200;

// A schema-7 database holding six transactions over three blocks; tx_nums 1
// and 4 share a txid, as Bitcoin's duplicated coinbases do.
std::unique_ptr<TestDatabase> SchemaSevenWithTxs(const std::string& name, bool in_bulk_load) {
  auto database = TestDatabase::Create(name);
  EXPECT_TRUE(database.ok()) << database.status();
  if (!database.ok()) return nullptr;
  pqxx::connection connection((*database)->dsn());
  const std::vector<Migration>& all = EmbeddedMigrations();
  EXPECT_GE(all.size(), 8u);
  EXPECT_TRUE(
      ApplyMigrations(connection, std::vector<Migration>(all.begin(), all.begin() + 7)).ok());
  if (in_bulk_load) EXPECT_TRUE(BeginBulkLoad(connection).ok());
  pqxx::work transaction(connection);
  transaction.exec(
      "INSERT INTO txs (tx_num, txid, height) "
      "SELECT n, sha256(int8send(CASE WHEN n = 4 THEN 1 ELSE n END)), n / 2 "
      "FROM generate_series(0, 5) AS n");
  transaction.commit();
  return std::move(*database);
}

std::string Lookup(pqxx::transaction_base& transaction, int64_t of) {
  return transaction
      .exec_params1(
          "SELECT coalesce(string_agg(tx_num || ':' || height, ',' ORDER BY tx_num "
          "DESC), '') FROM electrum_transaction(sha256(int8send($1::bigint)))",
          of)[0]
      .as<std::string>();
}

void ExpectConverted(pqxx::connection_base& connection) {
  pqxx::work transaction(connection);
  EXPECT_FALSE(transaction.exec1("SELECT to_regclass('txs') IS NOT NULL")[0].as<bool>());
  EXPECT_EQ(transaction.exec1("SELECT count(*) FROM block_txids")[0].as<int>(), 3);
  EXPECT_EQ(transaction
                .exec1("SELECT count(*) FROM chain_transactions "
                       "WHERE txid = sha256(int8send(CASE WHEN tx_num = 4 THEN 1 ELSE tx_num END)) "
                       "  AND height = tx_num / 2")[0]
                .as<int>(),
            6);
  EXPECT_EQ(Lookup(transaction, 0), "0:0");
  EXPECT_EQ(Lookup(transaction, 5), "5:2");
  // Both places of the duplicated txid, the latest first.
  EXPECT_EQ(Lookup(transaction, 1), "4:2,1:0");
  EXPECT_EQ(Lookup(transaction, 9), "");
}

TEST(TxidLookupPgTest, SchemaEightConvertsTxsRows) {
  auto database = SchemaSevenWithTxs("txid_conversion", /*in_bulk_load=*/false);
  ASSERT_NE(database, nullptr);
  pqxx::connection connection(database->dsn());
  auto upgraded = ApplyMigrations(connection, EmbeddedMigrations());
  ASSERT_TRUE(upgraded.ok()) << upgraded.status();
  ExpectConverted(connection);
  pqxx::work transaction(connection);
  EXPECT_EQ(
      transaction.exec1("SELECT sum(octet_length(entries) / 11) FROM txid_ranges")[0].as<int>(), 6);
  EXPECT_EQ(transaction.exec1("SELECT count(*) FROM recent_txids")[0].as<int>(), 0);
}

// A bulk load interrupted under schema 7 keeps its transactions staged; its
// finish packs them.
TEST(TxidLookupPgTest, SchemaEightDuringABulkLoadStagesTxsRowsForTheFinish) {
  auto database = SchemaSevenWithTxs("txid_conversion_bulk", /*in_bulk_load=*/true);
  ASSERT_NE(database, nullptr);
  pqxx::connection connection(database->dsn());
  auto upgraded = ApplyMigrations(connection, EmbeddedMigrations());
  ASSERT_TRUE(upgraded.ok()) << upgraded.status();
  {
    pqxx::work transaction(connection);
    EXPECT_EQ(transaction.exec1("SELECT count(*) FROM bulk_txids")[0].as<int>(), 6);
    EXPECT_EQ(
        transaction.exec1("SELECT count(*) FROM bulk_dropped_indexes WHERE table_name = 'txs'")[0]
            .as<int>(),
        0);
  }
  auto active = BulkLoadActive(connection);
  ASSERT_TRUE(active.ok() && *active);
  auto finished = FinishBulkLoad(connection, "64MB", kUndoDepth);
  ASSERT_TRUE(finished.ok()) << finished.status();
  EXPECT_EQ(finished->txids_packed, 6);
  ExpectConverted(connection);
}

class TxidLookupChainPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto node = GenerateChain({.seed = 29, .blocks = 6, .transactions_per_block = 30});
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = std::move(*node);
    auto database = CreateMigratedTestDatabase("txid_lookup_pgtest");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = std::move(*database);
    connection_ = std::make_unique<pqxx::connection>(database_->dsn());
  }

  void IndexOneByOne(int from, int to) {
    for (int height = from; height <= to; ++height) {
      const simnode::BlockEntry* entry = node_->chain().AtHeight(height);
      ASSERT_TRUE(IndexBlock(*connection_, {height, entry->hash, &entry->block}).ok());
    }
  }

  void BulkLoadAll() {
    ASSERT_TRUE(BeginBulkLoad(*connection_).ok());
    UnspentOutputs unspent;
    ASSERT_TRUE(LoadUnspentOutputs(*connection_, 1 << 20, unspent).ok());
    auto next_tx_num = ReadNextTxNum(*connection_);
    ASSERT_TRUE(next_tx_num.ok());
    BulkBatchBuilder builder(unspent, *next_tx_num);
    for (int height = 0; height <= node_->chain().Height(); ++height) {
      auto prepared = PrepareNodeBlock(*node_, height);
      ASSERT_TRUE(prepared.ok()) << prepared.status();
      ASSERT_TRUE(builder.Add(*prepared).ok());
    }
    BulkBatch batch = builder.Take();
    ASSERT_TRUE(WriteBulkBatch(*connection_, batch).ok());
    auto finished = FinishBulkLoad(*connection_, "64MB", kUndoDepth);
    ASSERT_TRUE(finished.ok()) << finished.status();
  }

  // The height the service's lookup finds for a txid.
  std::optional<int32_t> HeightOf(const chain::TxId& txid) {
    pqxx::work transaction(*connection_);
    auto height = ReadTransactionHeight(transaction, txid);
    EXPECT_TRUE(height.ok()) << height.status();
    return height.ok() ? *height : std::nullopt;
  }

  const chain::TxId& TxidAt(int height, size_t position) {
    return node_->chain().AtHeight(height)->block.transactions[position].txid;
  }

  std::unique_ptr<simnode::Node> node_;
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<pqxx::connection> connection_;
};

TEST_F(TxidLookupChainPgTest, EveryFormFindsItsTransactionsAndForgetsRemovedOnes) {
  const int tip = node_->chain().Height();
  BulkLoadAll();
  ASSERT_TRUE(RollbackTo(*connection_, tip - 3).ok());
  // Removed: their range entries are stale and must not answer.
  EXPECT_EQ(HeightOf(TxidAt(tip, 1)), std::nullopt);
  EXPECT_EQ(HeightOf(TxidAt(tip - 3, 1)), tip - 3);
  IndexOneByOne(tip - 2, tip);
  EXPECT_EQ(HeightOf(TxidAt(tip, 1)), tip);
  pqxx::work transaction(*connection_);
  EXPECT_GT(transaction.exec1("SELECT count(*) FROM recent_txids")[0].as<int>(), 0);
  EXPECT_EQ(transaction
                .exec1("SELECT count(*) FROM chain_transactions c WHERE (SELECT count(*) "
                       "FROM electrum_transaction(c.txid) t WHERE t.tx_num = c.tx_num) <> 1")[0]
                .as<int>(),
            0);
  // A txid sharing a stored 6-byte key but not the rest is not there.
  EXPECT_EQ(transaction
                .exec1("SELECT count(*) FROM chain_transactions c, electrum_transaction("
                       "  txid_key(c.txid) || substring(sha256(c.txid) FROM 1 FOR 26)) t")[0]
                .as<int>(),
            0);
  auto txids = ReadBlockTxids(transaction, tip - 1);
  ASSERT_TRUE(txids.ok()) << txids.status();
  const auto& block = node_->chain().AtHeight(tip - 1)->block.transactions;
  ASSERT_EQ(txids->size(), block.size());
  for (size_t i = 0; i < block.size(); ++i) EXPECT_EQ((*txids)[i], block[i].txid);
}

}  // namespace
}  // namespace electrum::storage
