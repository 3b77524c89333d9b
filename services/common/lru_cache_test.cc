#include "services/common/lru_cache.h"

#include <string>

#include "gtest/gtest.h"

namespace electrum::services {
namespace {

TEST(LruCacheTest, EvictsTheLeastRecentlyUsed) {
  LruCache<int, std::string> cache(2);
  cache.Put(1, "one");
  cache.Put(2, "two");
  EXPECT_EQ(cache.Get(1), "one");  // 2 is now the oldest
  cache.Put(3, "three");
  EXPECT_FALSE(cache.Get(2).has_value());
  EXPECT_EQ(cache.Get(1), "one");
  EXPECT_EQ(cache.Get(3), "three");
  cache.Put(3, "THREE");
  EXPECT_EQ(cache.Get(3), "THREE");
  cache.Erase(3);
  EXPECT_FALSE(cache.Get(3).has_value());
  cache.Erase(42);  // absent: nothing happens
  cache.Clear();
  EXPECT_FALSE(cache.Get(1).has_value());
}

TEST(LruCacheTest, ZeroCapacityStoresNothing) {
  LruCache<int, int> cache(0);
  cache.Put(1, 1);
  EXPECT_FALSE(cache.Get(1).has_value());
}

}  // namespace
}  // namespace electrum::services

namespace electrum::services {
namespace {

TEST(LruCacheTest, CostBudgetEvictsOldestUntilItFits) {
  LruCache<int, int> cache(10);
  cache.Put(1, 1, 4);
  cache.Put(2, 2, 4);
  cache.Put(3, 3, 4);  // 12 > 10: 1 goes
  EXPECT_FALSE(cache.Get(1).has_value());
  EXPECT_TRUE(cache.Get(2).has_value());
  cache.Put(4, 4, 11);  // larger than the budget: not stored, nothing evicted
  EXPECT_FALSE(cache.Get(4).has_value());
  EXPECT_TRUE(cache.Get(3).has_value());
  cache.Put(3, 30, 1);  // replacing frees the old cost
  cache.Put(5, 5, 5);
  EXPECT_TRUE(cache.Get(2).has_value());
  EXPECT_EQ(cache.Get(3), 30);
}

}  // namespace
}  // namespace electrum::services
