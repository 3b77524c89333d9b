// The error mapping against real server errors.
#include "storage/pg/pg_status.h"

#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/testing/test_database.h"

namespace electrum::storage {
namespace {

TEST(PgStatusPgTest, MapsServerErrors) {
  auto database = TestDatabase::Create("pg_status_pgtest");
  ASSERT_TRUE(database.ok()) << database.status();
  pqxx::connection connection((*database)->dsn());

  absl::Status timeout = RunGuarded("sleeping", [&]() -> absl::Status {
    pqxx::work transaction(connection);
    transaction.exec("SET LOCAL statement_timeout = 10");
    transaction.exec("SELECT pg_sleep(1)");
    return absl::OkStatus();
  });
  EXPECT_EQ(timeout.code(), absl::StatusCode::kDeadlineExceeded) << timeout;

  absl::Status duplicate = RunGuarded("inserting", [&]() -> absl::Status {
    pqxx::work transaction(connection);
    transaction.exec("CREATE TEMP TABLE t (x int PRIMARY KEY)");
    transaction.exec("INSERT INTO t VALUES (1), (1)");
    return absl::OkStatus();
  });
  EXPECT_EQ(duplicate.code(), absl::StatusCode::kAlreadyExists) << duplicate;
  EXPECT_NE(duplicate.message().find("inserting: PostgreSQL error 23505"), std::string::npos);

  absl::Status unreachable = RunGuarded("connecting", [&]() -> absl::Status {
    pqxx::connection nowhere("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
    return absl::OkStatus();
  });
  EXPECT_EQ(unreachable.code(), absl::StatusCode::kUnavailable) << unreachable;
  EXPECT_NE(unreachable.message().find("PostgreSQL unreachable"), std::string::npos);
}

}  // namespace
}  // namespace electrum::storage
