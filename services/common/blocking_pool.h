// A fixed set of threads for the blocking part of callback (reactor) gRPC
// handlers, which must not block gRPC's own threads: a handler answers what
// it can inline and posts the rest (a database read) here.
#ifndef ELECTRUM_SERVICES_COMMON_BLOCKING_POOL_H_
#define ELECTRUM_SERVICES_COMMON_BLOCKING_POOL_H_

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace electrum::services {

class BlockingPool {
 public:
  // At most `max_queued` tasks wait for a thread in TryPost.
  explicit BlockingPool(size_t threads, size_t max_queued = std::numeric_limits<size_t>::max())
      : max_queued_(max_queued) {
    for (size_t i = 0; i < std::max<size_t>(1, threads); ++i) {
      threads_.emplace_back([this] { RunTasks(); });
    }
  }

  // Every task posted runs, those still queued included: each completes a
  // call, which gRPC waits for.
  ~BlockingPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }

  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  void Post(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    wake_.notify_one();
  }

  // Post, unless max_queued tasks are already waiting (false then: the
  // task was not taken).
  bool TryPost(std::function<void()>& task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (tasks_.size() >= max_queued_) return false;
      tasks_.push_back(std::move(task));
    }
    wake_.notify_one();
    return true;
  }

  size_t max_queued() const { return max_queued_; }

 private:
  void RunTasks() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and nothing left
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }

  const size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_BLOCKING_POOL_H_
