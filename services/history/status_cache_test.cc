// The status cache never keeps a status across a change of its script hash,
// including one published while the status was being computed.
#include "services/history/status_cache.h"

#include "gtest/gtest.h"

namespace electrum::history {
namespace {

chain::ScriptHash Hash(uint8_t tag) {
  std::array<uint8_t, 32> bytes{};
  bytes[0] = tag;
  return chain::ScriptHash(bytes);
}

TEST(StatusCacheTest, ChangesDropEntries) {
  ChangeFeed feed;
  StatusCache cache(feed, 10);
  const Sha256Digest digest{};
  cache.Store(Hash(1), digest, cache.Observe());
  cache.Store(Hash(2), std::nullopt, cache.Observe());
  ASSERT_TRUE(cache.Find(Hash(1)).has_value());
  ASSERT_TRUE(cache.Find(Hash(2)).has_value());
  EXPECT_FALSE(cache.Find(Hash(2))->has_value()) << "an empty history is cached as null";

  feed.Publish(false, {Hash(1)});
  EXPECT_FALSE(cache.Find(Hash(1)).has_value());
  EXPECT_TRUE(cache.Find(Hash(2)).has_value());

  feed.Publish(true, {});
  EXPECT_FALSE(cache.Find(Hash(2)).has_value());
}

TEST(StatusCacheTest, StatusComputedAcrossAPublishIsNotStored) {
  ChangeFeed feed;
  StatusCache cache(feed, 10);
  const uint64_t observed = cache.Observe();
  feed.Publish(false, {Hash(9)});  // an unrelated change still counts
  cache.Store(Hash(3), Sha256Digest{}, observed);
  EXPECT_FALSE(cache.Find(Hash(3)).has_value());
}

TEST(StatusCacheTest, PrefixesSurviveOrdinaryChangesButNotReorgs) {
  ChangeFeed feed;
  ConfirmedPrefixCache cache(feed, 1000, DropOn::kEverythingChange);
  auto prefix = std::make_shared<const ConfirmedPrefix>();
  const uint64_t observed = cache.Observe();
  feed.Publish(false, {Hash(4)});  // a block touching it: still extendable
  cache.Store(Hash(4), prefix, observed);
  ASSERT_TRUE(cache.Find(Hash(4)).has_value());
  feed.Publish(false, {Hash(4)});
  EXPECT_TRUE(cache.Find(Hash(4)).has_value());

  const uint64_t before_reorg = cache.Observe();
  feed.Publish(true, {});
  EXPECT_FALSE(cache.Find(Hash(4)).has_value());
  cache.Store(Hash(5), prefix, before_reorg);
  EXPECT_FALSE(cache.Find(Hash(5)).has_value()) << "read before the reorg, stored after it";
}

}  // namespace
}  // namespace electrum::history
