// Binary COPY into a live PostgreSQL: values arrive intact (including
// negative numbers, empty and NULL bytea), rows roll back with their
// transaction, and a bad payload is an error rather than a crash.
#include "storage/pg/copy_in.h"

#include <vector>

#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/pg/binary_copy.h"
#include "storage/testing/test_database.h"

namespace electrum::storage {
namespace {

class CopyInPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = TestDatabase::Create("copy_in_pgtest");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = std::move(*database);
    connection_ = std::make_unique<pqxx::connection>(database_->dsn());
    pqxx::work transaction(*connection_);
    transaction.exec("CREATE TABLE t (a integer NOT NULL, b bigint, c bytea)");
    transaction.commit();
  }

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<pqxx::connection> connection_;
};

TEST_F(CopyInPgTest, RowsArriveIntact) {
  BinaryCopyBuffer buffer;
  const std::vector<uint8_t> hash(32, 0x5a);
  for (int i = 0; i < 1000; ++i) {
    buffer.StartRow(3);
    buffer.AddInt32(i - 500);
    if (i % 7 == 0) {
      buffer.AddNull();
    } else {
      buffer.AddInt64(int64_t{1} << 40 | i);
    }
    buffer.AddBytes(std::span<const uint8_t>(hash).first(i % 33));
  }
  pqxx::work transaction(*connection_);
  ASSERT_TRUE(CopyBinaryInto(transaction, "t (a, b, c)", buffer.Finish()).ok());
  // The same transaction keeps working after the COPY.
  pqxx::row summary = transaction.exec1(
      "SELECT count(*), sum(a), count(b), sum(b), sum(octet_length(c)), "
      "bool_and(c = substr(decode(repeat('5a', 32), 'hex'), 1, octet_length(c))) FROM t");
  transaction.commit();
  EXPECT_EQ(summary[0].as<int64_t>(), 1000);
  EXPECT_EQ(summary[1].as<int64_t>(), -500);  // -500 .. 499
  int64_t expected_b = 0, expected_c = 0, non_null = 0;
  for (int i = 0; i < 1000; ++i) {
    if (i % 7 != 0) expected_b += int64_t{1} << 40 | i, ++non_null;
    expected_c += i % 33;
  }
  EXPECT_EQ(summary[2].as<int64_t>(), non_null);
  EXPECT_EQ(summary[3].as<std::string>(), std::to_string(expected_b));
  EXPECT_EQ(summary[4].as<int64_t>(), expected_c);
  EXPECT_TRUE(summary[5].as<bool>());
}

TEST_F(CopyInPgTest, RowsRollBackWithTheTransaction) {
  BinaryCopyBuffer buffer;
  buffer.StartRow(3);
  buffer.AddInt32(1);
  buffer.AddInt64(2);
  buffer.AddNull();
  {
    pqxx::work transaction(*connection_);
    ASSERT_TRUE(CopyBinaryInto(transaction, "t (a, b, c)", buffer.Finish()).ok());
  }  // aborted
  pqxx::work transaction(*connection_);
  EXPECT_EQ(transaction.exec1("SELECT count(*) FROM t")[0].as<int>(), 0);
}

TEST_F(CopyInPgTest, BadPayloadIsAnError) {
  BinaryCopyBuffer wrong_arity;
  wrong_arity.StartRow(3);
  wrong_arity.AddInt32(1);  // two fields short
  {
    pqxx::work transaction(*connection_);
    absl::Status status = CopyBinaryInto(transaction, "t (a, b, c)", wrong_arity.Finish());
    EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
    EXPECT_NE(status.message().find("COPY into t"), std::string::npos) << status;
  }
  BinaryCopyBuffer null_in_not_null;
  null_in_not_null.StartRow(3);
  null_in_not_null.AddNull();
  null_in_not_null.AddNull();
  null_in_not_null.AddNull();
  {
    pqxx::work transaction(*connection_);
    absl::Status status = CopyBinaryInto(transaction, "t (a, b, c)", null_in_not_null.Finish());
    EXPECT_NE(status.message().find("null value"), std::string::npos) << status;
  }
  {
    pqxx::work transaction(*connection_);
    EXPECT_FALSE(CopyBinaryInto(transaction, "missing (a)", BinaryCopyBuffer().Finish()).ok());
  }
  // The connection is still usable.
  pqxx::work transaction(*connection_);
  EXPECT_EQ(transaction.exec1("SELECT 1")[0].as<int>(), 1);
}

}  // namespace
}  // namespace electrum::storage
