// Applies the real migrations to a live PostgreSQL and checks the result.
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/migrate/migrator.h"
#include "storage/migrations/embedded_migrations.h"
#include "storage/pg/pg_status.h"
#include "storage/testing/test_database.h"

namespace electrum::storage {
namespace {

class MigratorPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = TestDatabase::Create("migrator_pgtest");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = std::move(*database);
    connection_ = std::make_unique<pqxx::connection>(database_->dsn());
  }

  std::set<std::string> Tables() {
    pqxx::work transaction(*connection_);
    std::set<std::string> tables;
    for (const auto& row : transaction.exec(
             "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
      tables.insert(row[0].as<std::string>());
    }
    return tables;
  }

  std::vector<std::string> PrimaryKey(const std::string& table) {
    pqxx::work transaction(*connection_);
    std::vector<std::string> columns;
    for (const auto& row : transaction.exec_params(
             "SELECT a.attname FROM pg_index i "
             "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
             "WHERE i.indrelid = $1::regclass AND i.indisprimary "
             "ORDER BY array_position(i.indkey, a.attnum)",
             table)) {
      columns.push_back(row[0].as<std::string>());
    }
    return columns;
  }

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<pqxx::connection> connection_;
};

TEST(MigrationListTest, EmbeddedListIsConsecutive) {
  ASSERT_FALSE(EmbeddedMigrations().empty());
  EXPECT_TRUE(ValidateMigrationList(EmbeddedMigrations()).ok());
  EXPECT_EQ(EmbeddedMigrations()[0].name, "initial_schema");
}

TEST(MigrationListTest, GapsAreRejected) {
  std::vector<Migration> gap = {{1, "one", "SELECT 1"}, {3, "three", "SELECT 3"}};
  absl::Status status = ValidateMigrationList(gap);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("version 3 (three)"), std::string::npos);
}

TEST_F(MigratorPgTest, FreshDatabaseGetsTheWholeSchema) {
  auto version_before = CurrentSchemaVersion(*connection_);
  ASSERT_TRUE(version_before.ok()) << version_before.status();
  EXPECT_EQ(*version_before, 0);

  auto result = ApplyMigrations(*connection_, EmbeddedMigrations());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->applied.size(), EmbeddedMigrations().size());
  EXPECT_EQ(result->version, static_cast<int>(EmbeddedMigrations().size()));

  std::set<std::string> tables = Tables();
  for (const char* table :
       {"schema_migrations", "blocks", "chain_tip", "block_txids", "txid_ranges", "recent_txids",
        "utxos", "spent_undo", "undo_window", "history_ranges", "history_keys", "bulk_history",
        "mempool_state", "mempool_txs", "mempool_outputs", "mempool_spends", "mempool_history",
        "mempool_changes"}) {
    EXPECT_TRUE(tables.contains(table)) << "missing table " << table;
  }
  EXPECT_EQ(PrimaryKey("blocks"), std::vector<std::string>({"height"}));
  EXPECT_EQ(PrimaryKey("block_txids"), std::vector<std::string>({"first_tx_num"}));
  EXPECT_EQ(PrimaryKey("utxos"), std::vector<std::string>({"txid", "vout"}));
  EXPECT_EQ(PrimaryKey("history_keys"), std::vector<std::string>({"scripthash", "first_tx_num"}));
  EXPECT_EQ(PrimaryKey("schema_migrations"), std::vector<std::string>({"version"}));

  pqxx::work transaction(*connection_);
  pqxx::row row =
      transaction.exec1("SELECT version, name, checksum FROM schema_migrations WHERE version = 1");
  EXPECT_EQ(row[1].as<std::string>(), "initial_schema");
  EXPECT_EQ(row[2].as<std::string>(), MigrationChecksum(EmbeddedMigrations()[0]));
}

TEST_F(MigratorPgTest, SchemaEnforcesHashLengths) {
  ASSERT_TRUE(ApplyMigrations(*connection_, EmbeddedMigrations()).ok());
  pqxx::work transaction(*connection_);
  EXPECT_THROW(
      transaction.exec("INSERT INTO recent_txids (tx_num, txid) VALUES (0, '\\x0102'::bytea)"),
      pqxx::check_violation);
}

TEST_F(MigratorPgTest, ReapplyingIsANoOp) {
  ASSERT_TRUE(ApplyMigrations(*connection_, EmbeddedMigrations()).ok());
  auto again = ApplyMigrations(*connection_, EmbeddedMigrations());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->applied.empty());
  pqxx::work transaction(*connection_);
  EXPECT_EQ(transaction.exec1("SELECT count(*) FROM schema_migrations")[0].as<size_t>(),
            EmbeddedMigrations().size());
  EXPECT_EQ(transaction.exec1("SELECT count(*) FROM mempool_state")[0].as<int>(), 1);
}

TEST_F(MigratorPgTest, ConcurrentRunnersApplyEachMigrationOnce) {
  std::vector<absl::StatusOr<MigrationResult>> results(4, absl::UnknownError("not run"));
  std::vector<std::thread> runners;
  for (auto& result : results) {
    runners.emplace_back([&result, dsn = database_->dsn()] {
      pqxx::connection connection(dsn);
      result = ApplyMigrations(connection, EmbeddedMigrations());
    });
  }
  for (auto& runner : runners) runner.join();
  size_t total_applied = 0;
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    total_applied += result->applied.size();
  }
  EXPECT_EQ(total_applied, EmbeddedMigrations().size());
}

TEST_F(MigratorPgTest, EditedMigrationIsRefused) {
  ASSERT_TRUE(ApplyMigrations(*connection_, EmbeddedMigrations()).ok());
  std::vector<Migration> edited = EmbeddedMigrations();
  std::string changed = std::string(edited[0].sql) + "\n-- edited";
  edited[0].sql = changed;
  auto result = ApplyMigrations(*connection_, edited);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("must not be edited"), std::string::npos);
}

TEST_F(MigratorPgTest, NewerDatabaseIsRefused) {
  std::vector<Migration> newer = EmbeddedMigrations();
  newer.push_back({static_cast<int>(newer.size()) + 1, "future", "CREATE TABLE future (x int)"});
  ASSERT_TRUE(ApplyMigrations(*connection_, newer).ok());
  auto result = ApplyMigrations(*connection_, EmbeddedMigrations());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("does not know"), std::string::npos);
}

TEST_F(MigratorPgTest, FailingMigrationLeavesNoTrace) {
  std::vector<Migration> broken = EmbeddedMigrations();
  broken.push_back({static_cast<int>(broken.size()) + 1, "broken",
                    "CREATE TABLE half_done (x int); SELECT no_such_function();"});
  auto result = ApplyMigrations(*connection_, broken);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInternal);
  const std::string failed = "migration " + std::to_string(broken.size()) + " (broken)";
  EXPECT_NE(result.status().message().find(failed), std::string::npos) << result.status();
  EXPECT_FALSE(Tables().contains("half_done"));
  auto version = CurrentSchemaVersion(*connection_);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, static_cast<int>(EmbeddedMigrations().size()));
}

TEST(MigratorConnectionTest, UnreachableDatabaseIsUnavailable) {
  absl::StatusOr<MigrationResult> result =
      RunGuarded("connecting", [&]() -> absl::StatusOr<MigrationResult> {
        // Port 1 on loopback: nothing listens there.
        pqxx::connection connection("host=127.0.0.1 port=1 dbname=x connect_timeout=2");
        return ApplyMigrations(connection, EmbeddedMigrations());
      });
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace electrum::storage
