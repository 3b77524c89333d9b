#include "services/common/gather.h"

#include <atomic>
#include <thread>

#include "gtest/gtest.h"

namespace electrum::services {
namespace {

TEST(GatherTest, DoneRunsOnceAfterTheLastSlotWithEveryAnswerInOrder) {
  int runs = 0;
  std::vector<absl::StatusOr<int>> seen;
  auto gather = Gather<int>::Make(3, [&](std::vector<absl::StatusOr<int>> values) {
    ++runs;
    seen = std::move(values);
  });
  Gather<int>::Slot first = Gather<int>::SlotOf(gather, 0);
  Gather<int>::Slot second = Gather<int>::SlotOf(gather, 1);
  Gather<int>::Slot third = Gather<int>::SlotOf(gather, 2);
  gather.reset();  // the slots keep it alive
  third(30);
  first(absl::NotFoundError("no 10"));
  EXPECT_EQ(runs, 0);
  second(20);
  ASSERT_EQ(runs, 1);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(*seen[1], 20);
  EXPECT_EQ(*seen[2], 30);
}

TEST(GatherTest, SlotsFilledFromManyThreadsCompleteOnce) {
  constexpr int kSlots = 64;
  std::atomic<int> runs{0};
  std::atomic<int> sum{0};
  auto gather = Gather<int>::Make(kSlots, [&](std::vector<absl::StatusOr<int>> values) {
    ++runs;
    for (const auto& value : values) sum += *value;
  });
  std::vector<std::thread> threads;
  for (int i = 0; i < kSlots; ++i) {
    threads.emplace_back([slot = Gather<int>::SlotOf(gather, i), i] { slot(i); });
  }
  gather.reset();
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(sum.load(), kSlots * (kSlots - 1) / 2);
}

}  // namespace
}  // namespace electrum::services
