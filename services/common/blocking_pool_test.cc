// BlockingPool: every posted task runs, and TryPost refuses once
// max_queued tasks wait for a thread.
#include "services/common/blocking_pool.h"

#include <atomic>
#include <future>

#include "gtest/gtest.h"

namespace electrum::services {
namespace {

TEST(BlockingPoolTest, TryPostRefusesWhenTheQueueIsFull) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  std::atomic<int> ran{0};
  {
    BlockingPool pool(/*threads=*/1, /*max_queued=*/2);
    std::function<void()> blocker = [&] {
      started.set_value();
      released.wait();
      ++ran;
    };
    ASSERT_TRUE(pool.TryPost(blocker));
    started.get_future().wait();  // the only thread is busy: the rest queue
    for (int i = 0; i < 2; ++i) {
      std::function<void()> task = [&] { ++ran; };
      EXPECT_TRUE(pool.TryPost(task)) << i;
    }
    std::function<void()> refused = [&] { ran += 100; };
    EXPECT_FALSE(pool.TryPost(refused));
    EXPECT_TRUE(refused) << "a refused task stays with the caller";
    release.set_value();
  }  // the destructor runs what was queued
  EXPECT_EQ(ran.load(), 3);
}

}  // namespace
}  // namespace electrum::services
