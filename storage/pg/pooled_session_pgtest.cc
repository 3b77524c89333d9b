// WithPooledSession and WithPooledStatements against the live test cluster:
// the caller's deadline bounds the statements, a lost connection is
// replaced, errors say what ran.
#include "storage/pg/pooled_session.h"

#include <chrono>

#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/testing/test_database.h"

namespace electrum::storage {
namespace {

class PooledSessionPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = TestDatabase::Create("session_pgtest");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = std::move(*database);
    pool_ = std::make_unique<ConnectionPool>(
        ConnectionPoolOptions{.dsn = database_->dsn(), .max_connections = 1});
  }

  std::string Setting(std::optional<int64_t> deadline) {
    std::string value;
    absl::Status status =
        WithPooledSession(*pool_, deadline, "reading a setting", [&](pqxx::transaction_base& s) {
          value = s.exec1("SHOW statement_timeout")[0].as<std::string>();
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok()) << status;
    return value;
  }

  // The session's statement_timeout as an autocommit body sees it.
  std::string StatementsSetting(std::optional<int64_t> deadline) {
    std::string value;
    absl::Status status =
        WithPooledStatements(*pool_, deadline, "reading a setting", [&](pqxx::transaction_base& s) {
          value = s.exec1("SHOW statement_timeout")[0].as<std::string>();
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok()) << status;
    return value;
  }

  int64_t Backend() {
    int64_t pid = 0;
    absl::Status status =
        WithPooledSession(*pool_, std::nullopt, "reading the backend", [&](auto& session) {
          pid = session.exec1("SELECT pg_backend_pid()")[0].template as<int64_t>();
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok()) << status;
    return pid;
  }

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<ConnectionPool> pool_;
};

TEST_F(PooledSessionPgTest, TheDeadlineBecomesTheStatementTimeout) {
  EXPECT_EQ(Setting(250), "250ms");
  EXPECT_EQ(Setting(std::nullopt), "0") << "SET LOCAL ends with its transaction";
}

TEST_F(PooledSessionPgTest, AStatementPastTheDeadlineIsCanceled) {
  const auto started = std::chrono::steady_clock::now();
  absl::Status status =
      WithPooledSession(*pool_, 100, "sleeping", [](pqxx::transaction_base& session) {
        session.exec("SELECT pg_sleep(5)");
        return absl::OkStatus();
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  EXPECT_NE(status.message().find("sleeping"), std::string::npos) << status;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  EXPECT_EQ(Setting(std::nullopt), "0") << "the connection is usable afterwards";
}

TEST_F(PooledSessionPgTest, NoTimeLeftFailsWithoutAQuery) {
  bool ran = false;
  absl::Status status = WithPooledSession(*pool_, 0, "reading", [&](pqxx::transaction_base&) {
    ran = true;
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_FALSE(ran);
}

TEST_F(PooledSessionPgTest, ALostConnectionIsReplaced) {
  const int64_t first = Backend();
  absl::Status lost =
      WithPooledSession(*pool_, std::nullopt, "losing the connection", [](auto& session) {
        session.exec("SELECT pg_terminate_backend(pg_backend_pid())");
        return absl::OkStatus();
      });
  EXPECT_EQ(lost.code(), absl::StatusCode::kUnavailable) << lost;
  const int64_t second = Backend();
  EXPECT_NE(second, 0);
  EXPECT_NE(second, first);
}

TEST_F(PooledSessionPgTest, TheBodysOwnErrorPassesThrough) {
  absl::Status status = WithPooledSession(*pool_, 1000, "reading", [](pqxx::transaction_base&) {
    return absl::NotFoundError("no block at height 7");
  });
  EXPECT_EQ(status, absl::NotFoundError("no block at height 7"));
}

TEST_F(PooledSessionPgTest, StatementsKeepASessionTimeoutCloseToTheDeadline) {
  EXPECT_EQ(StatementsSetting(1000), "1s");
  // Within an eighth below the time left: not set again.
  EXPECT_EQ(StatementsSetting(1100), "1s");
  // More than an eighth short of it, or past it: set to the time left.
  EXPECT_EQ(StatementsSetting(2000), "2s");
  EXPECT_EQ(StatementsSetting(1500), "1500ms");
  // A session without a deadline, or a transaction, does not inherit it.
  EXPECT_EQ(Setting(std::nullopt), "0");
  EXPECT_EQ(StatementsSetting(1500), "1500ms");
  EXPECT_EQ(Setting(250), "250ms");
  EXPECT_EQ(StatementsSetting(1500), "1500ms") << "SET LOCAL ends with its transaction";
}

TEST_F(PooledSessionPgTest, AStatementPastTheDeadlineIsCanceledWithoutATransaction) {
  const auto started = std::chrono::steady_clock::now();
  absl::Status status =
      WithPooledStatements(*pool_, 100, "sleeping", [](pqxx::transaction_base& session) {
        session.exec("SELECT pg_sleep(5)");
        return absl::OkStatus();
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  EXPECT_EQ(StatementsSetting(5000), "5s") << "the connection is usable afterwards";
  EXPECT_EQ(
      WithPooledStatements(*pool_, 0, "reading", [](auto&) { return absl::OkStatus(); }).code(),
      absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace electrum::storage
