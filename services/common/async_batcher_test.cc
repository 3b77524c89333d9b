#include "services/common/async_batcher.h"

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "gtest/gtest.h"

namespace electrum::services {
namespace {

using Batcher = AsyncBatcher<int, int>;
using Clock = std::chrono::system_clock;

Clock::time_point InAMinute() { return Clock::now() + std::chrono::minutes(1); }

// Waits for one Get's completion.
absl::StatusOr<int> GetAndWait(Batcher& batcher, int key, Clock::time_point deadline) {
  std::promise<absl::StatusOr<int>> answer;
  batcher.Get(key, deadline, [&](absl::StatusOr<int> value) { answer.set_value(value); });
  return answer.get_future().get();
}

TEST(AsyncBatcherTest, AloneAKeyIsItsOwnBatch) {
  std::vector<size_t> sizes;
  Batcher batcher(1, 64, [&](const std::vector<int>& keys, std::optional<int64_t>) {
    sizes.push_back(keys.size());
    return absl::StatusOr<std::vector<int>>(std::vector<int>{keys[0] * 10});
  });
  EXPECT_EQ(*GetAndWait(batcher, 4, InAMinute()), 40);
  EXPECT_EQ(*GetAndWait(batcher, 5, InAMinute()), 50);
  EXPECT_EQ(sizes, (std::vector<size_t>{1, 1}));
}

TEST(AsyncBatcherTest, KeysQueuedWhileRunnersAreBusyShareBatchesAndGetTheirOwnValues) {
  constexpr int kKeys = 2000;
  std::atomic<int> running{0};
  std::atomic<int> most_running{0};
  std::atomic<int> lookups{0};
  Batcher batcher(2, 8, [&](const std::vector<int>& keys, std::optional<int64_t>) {
    const int now = ++running;
    int seen = most_running.load();
    while (now > seen && !most_running.compare_exchange_weak(seen, now)) {
    }
    ++lookups;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    std::vector<int> values;
    for (int key : keys) values.push_back(key * 3 + 1);
    --running;
    return absl::StatusOr<std::vector<int>>(std::move(values));
  });
  std::atomic<int> wrong{0};
  std::atomic<int> answered{0};
  std::promise<void> all_answered;
  for (int key = 0; key < kKeys; ++key) {
    batcher.Get(key, InAMinute(), [&, key](absl::StatusOr<int> value) {
      if (!value.ok() || *value != key * 3 + 1) ++wrong;
      if (++answered == kKeys) all_answered.set_value();
    });
  }
  all_answered.get_future().wait();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(most_running.load(), 2);
  EXPECT_EQ(batcher.largest_batch(), 8u);
  EXPECT_LT(lookups.load(), kKeys);
}

TEST(AsyncBatcherTest, TheBatchGetsItsLatestDeadline) {
  std::optional<int64_t> seen;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  bool first = true;
  Batcher batcher(1, 64, [&](const std::vector<int>& keys, std::optional<int64_t> left) {
    if (first) {
      first = false;
      released.wait();  // holds the runner while the next two queue
    } else {
      seen = left;
    }
    return absl::StatusOr<std::vector<int>>(std::vector<int>(keys.size(), 0));
  });
  std::promise<void> done;
  std::atomic<int> answered{0};
  auto count = [&](absl::StatusOr<int>) {
    if (++answered == 3) done.set_value();
  };
  batcher.Get(0, InAMinute(), count);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  batcher.Get(1, Clock::now() + std::chrono::seconds(10), count);
  batcher.Get(2, Clock::now() + std::chrono::seconds(30), count);
  release.set_value();
  done.get_future().wait();
  ASSERT_TRUE(seen.has_value());
  EXPECT_GT(*seen, 20000);
  EXPECT_LE(*seen, 30000);
}

TEST(AsyncBatcherTest, AKeyWhoseDeadlinePassedInTheQueueIsNotLookedUp) {
  std::atomic<int> lookups{0};
  Batcher batcher(1, 64, [&](const std::vector<int>& keys, std::optional<int64_t>) {
    ++lookups;
    return absl::StatusOr<std::vector<int>>(std::vector<int>(keys.size(), 0));
  });
  absl::StatusOr<int> value = GetAndWait(batcher, 1, Clock::now() - std::chrono::seconds(1));
  EXPECT_EQ(value.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(lookups.load(), 0);
}

TEST(AsyncBatcherTest, AFailedBatchFailsEveryKeyInIt) {
  Batcher batcher(1, 64, [](const std::vector<int>&, std::optional<int64_t>) {
    return absl::StatusOr<std::vector<int>>(absl::UnavailableError("database down"));
  });
  absl::StatusOr<int> value = GetAndWait(batcher, 1, InAMinute());
  EXPECT_EQ(value.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(value.status().message(), "database down");
}

TEST(AsyncBatcherTest, AWrongNumberOfValuesIsAnInternalError) {
  Batcher batcher(1, 64, [](const std::vector<int>&, std::optional<int64_t>) {
    return absl::StatusOr<std::vector<int>>(std::vector<int>{});
  });
  EXPECT_EQ(GetAndWait(batcher, 1, InAMinute()).status().code(), absl::StatusCode::kInternal);
}

TEST(AsyncBatcherTest, StoppingCompletesWhatIsStillQueued) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> unavailable{0};
  std::atomic<int> answered{0};
  std::thread releaser;
  {
    Batcher batcher(1, 1, [&](const std::vector<int>& keys, std::optional<int64_t>) {
      released.wait();
      return absl::StatusOr<std::vector<int>>(std::vector<int>(keys.size(), 7));
    });
    for (int key = 0; key < 5; ++key) {
      batcher.Get(key, InAMinute(), [&](absl::StatusOr<int> value) {
        ++answered;
        if (value.status().code() == absl::StatusCode::kUnavailable) ++unavailable;
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    releaser = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      release.set_value();
    });
  }  // the destructor waits for the batch in flight and fails the rest
  releaser.join();
  EXPECT_EQ(answered.load(), 5);
  EXPECT_GE(unavailable.load(), 3);
}

}  // namespace
}  // namespace electrum::services
