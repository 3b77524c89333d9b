#include "services/common/coalescing_batcher.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "gtest/gtest.h"

namespace electrum::services {
namespace {

using Batcher = CoalescingBatcher<int, int>;

TEST(CoalescingBatcherTest, AloneACallIsItsOwnBatch) {
  Batcher batcher(2, 64);
  std::vector<size_t> sizes;
  auto lookup = [&](const std::vector<int>& keys) -> absl::StatusOr<std::vector<int>> {
    sizes.push_back(keys.size());
    return std::vector<int>{keys[0] * 10};
  };
  EXPECT_EQ(*batcher.Get(4, lookup), 40);
  EXPECT_EQ(*batcher.Get(5, lookup), 50);
  EXPECT_EQ(sizes, (std::vector<size_t>{1, 1}));
}

TEST(CoalescingBatcherTest, ConcurrentCallersShareBatchesAndGetTheirOwnValues) {
  constexpr int kThreads = 32;
  constexpr int kCallsPerThread = 50;
  Batcher batcher(2, 8);
  std::atomic<int> running{0};
  std::atomic<int> most_running{0};
  std::atomic<int> lookups{0};
  auto lookup = [&](const std::vector<int>& keys) -> absl::StatusOr<std::vector<int>> {
    const int now = ++running;
    int seen = most_running.load();
    while (now > seen && !most_running.compare_exchange_weak(seen, now)) {
    }
    ++lookups;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    std::vector<int> values;
    for (int key : keys) values.push_back(key * 3 + 1);
    --running;
    return values;
  };
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        const int key = t * 1000 + i;
        absl::StatusOr<int> value = batcher.Get(key, lookup);
        if (!value.ok() || *value != key * 3 + 1) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(most_running.load(), 2);
  EXPECT_GT(batcher.largest_batch(), 1u);
  EXPECT_LE(batcher.largest_batch(), 8u);
  EXPECT_LT(lookups.load(), kThreads * kCallsPerThread);
}

TEST(CoalescingBatcherTest, AFailedBatchFailsEveryCallerInIt) {
  Batcher batcher(1, 64);
  auto lookup = [](const std::vector<int>&) -> absl::StatusOr<std::vector<int>> {
    return absl::UnavailableError("database down");
  };
  absl::StatusOr<int> value = batcher.Get(1, lookup);
  EXPECT_EQ(value.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(value.status().message(), "database down");
}

TEST(CoalescingBatcherTest, AWrongNumberOfValuesIsAnInternalError) {
  Batcher batcher(1, 64);
  auto lookup = [](const std::vector<int>&) -> absl::StatusOr<std::vector<int>> {
    return std::vector<int>{};
  };
  EXPECT_EQ(batcher.Get(1, lookup).status().code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace electrum::services
