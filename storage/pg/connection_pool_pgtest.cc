// The pool against the live test cluster.
#include "storage/pg/connection_pool.h"

#include <atomic>
#include <thread>

#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/testing/test_database.h"

namespace electrum::storage {
namespace {

class ConnectionPoolPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = TestDatabase::Create("pool_pgtest");
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = std::move(*database);
  }
  std::unique_ptr<TestDatabase> database_;
};

int64_t Backend(pqxx::connection_base& connection) {
  pqxx::nontransaction transaction(connection);
  return transaction.exec1("SELECT pg_backend_pid()")[0].as<int64_t>();
}

TEST_F(ConnectionPoolPgTest, ReusesConnections) {
  ConnectionPool pool({.dsn = database_->dsn(), .max_connections = 2});
  int64_t first_backend = 0;
  {
    auto connection = pool.Acquire();
    ASSERT_TRUE(connection.ok()) << connection.status();
    first_backend = Backend(**connection);
  }
  auto again = pool.Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Backend(**again), first_backend);
  EXPECT_EQ(pool.open_connections(), 1u);
}

TEST_F(ConnectionPoolPgTest, WaitsThenTimesOutWhenAllAreBusy) {
  ConnectionPool pool({.dsn = database_->dsn(),
                       .max_connections = 1,
                       .acquire_timeout = std::chrono::milliseconds(200)});
  auto held = pool.Acquire();
  ASSERT_TRUE(held.ok());
  auto refused = pool.Acquire();
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST_F(ConnectionPoolPgTest, BoundsConcurrencyAcrossThreads) {
  ConnectionPool pool({.dsn = database_->dsn(), .max_connections = 3});
  std::atomic<int> ok{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < 8; ++i) {
    workers.emplace_back([&] {
      for (int j = 0; j < 5; ++j) {
        auto connection = pool.Acquire();
        if (!connection.ok()) continue;
        pqxx::nontransaction(**connection).exec("SELECT pg_sleep(0.005)");
        ++ok;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(ok.load(), 40);
  EXPECT_LE(pool.open_connections(), 3u);
}

TEST_F(ConnectionPoolPgTest, BrokenConnectionsAreReplaced) {
  ConnectionPool pool({.dsn = database_->dsn(), .max_connections = 1});
  int64_t killed = 0;
  {
    auto connection = pool.Acquire();
    ASSERT_TRUE(connection.ok());
    killed = Backend(**connection);
    connection->MarkBroken();
  }
  auto fresh = pool.Acquire();
  ASSERT_TRUE(fresh.ok());
  EXPECT_NE(Backend(**fresh), killed);
}

TEST(ConnectionPoolTest, UnreachableDatabaseIsUnavailable) {
  ConnectionPool pool({.dsn = "host=127.0.0.1 port=1 dbname=x connect_timeout=2"});
  auto connection = pool.Acquire();
  EXPECT_EQ(connection.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(pool.open_connections(), 0u) << "a failed open frees its slot";
}

}  // namespace
}  // namespace electrum::storage
