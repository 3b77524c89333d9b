#include "services/blockchain/indexer/ingest_leader.h"

#include <chrono>
#include <memory>
#include <thread>

#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "storage/testing/test_database.h"

namespace electrum::blockchain {
namespace {

TEST(IngestLeaderPgTest, OneLeaderAtATimeAndTakeoverWhenItsSessionEnds) {
  auto database = storage::TestDatabase::Create("ingest_leader_pgtest");
  ASSERT_TRUE(database.ok()) << database.status();
  auto first = std::make_unique<pqxx::connection>((*database)->dsn());
  pqxx::connection second((*database)->dsn());
  EXPECT_TRUE(TryBecomeIngestLeader(*first).value());
  EXPECT_TRUE(TryBecomeIngestLeader(*first).value()) << "re-entrant for the holder";
  EXPECT_FALSE(TryBecomeIngestLeader(second).value());
  first.reset();  // the leader's session ends, as when its process dies
  // The server notices the closed session a moment later; standbys poll.
  bool took_over = false;
  for (int attempt = 0; attempt < 50 && !took_over; ++attempt) {
    took_over = TryBecomeIngestLeader(second).value();
    if (!took_over) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(took_over);
}

}  // namespace
}  // namespace electrum::blockchain
