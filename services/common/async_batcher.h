// Coalesces concurrent single-key lookups into batched ones without a
// thread per waiting caller: Get() queues a key with its completion and
// returns at once; `runners` threads each take up to `max_batch` queued keys,
// run one lookup for all of them and complete each. Idle, a key is looked up
// alone as soon as it arrives (no added latency); under load, keys queue
// while every runner is busy and the next batch takes them all, so one
// database round trip serves many callers. For callback (reactor) gRPC
// handlers, which must not block: they answer from caches inline and hand
// only misses to a batcher.
#ifndef ELECTRUM_SERVICES_COMMON_ASYNC_BATCHER_H_
#define ELECTRUM_SERVICES_COMMON_ASYNC_BATCHER_H_

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/deadline.h"

namespace electrum::services {

template <typename Key, typename Value>
class AsyncBatcher {
 public:
  // Answers keys in order (one value per key) or fails the whole batch;
  // `milliseconds_left` is the latest deadline of the batch's callers
  // (nullopt: one of them has none).
  using Lookup = std::function<absl::StatusOr<std::vector<Value>>(
      const std::vector<Key>& keys, std::optional<int64_t> milliseconds_left)>;
  // Runs on a runner thread, exactly once per Get.
  using Done = std::function<void(absl::StatusOr<Value>)>;

  AsyncBatcher(size_t runners, size_t max_batch, Lookup lookup)
      : max_batch_(std::max<size_t>(1, max_batch)), lookup_(std::move(lookup)) {
    for (size_t i = 0; i < std::max<size_t>(1, runners); ++i) {
      threads_.emplace_back([this] { RunBatches(); });
    }
  }

  // Callers still queued are failed (UNAVAILABLE); batches being looked
  // up finish first.
  ~AsyncBatcher() {
    std::deque<Waiter> orphans;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      orphans.swap(pending_);
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) thread.join();
    for (Waiter& waiter : orphans) waiter.done(absl::UnavailableError("the service is stopping"));
  }

  AsyncBatcher(const AsyncBatcher&) = delete;
  AsyncBatcher& operator=(const AsyncBatcher&) = delete;

  void Get(Key key, std::chrono::system_clock::time_point deadline, Done done) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!stopping_) {
        pending_.push_back(Waiter{std::move(key), deadline, std::move(done)});
        done = nullptr;
      }
    }
    if (done) return done(absl::UnavailableError("the service is stopping"));
    wake_.notify_one();
  }

  // Most keys one batch has served so far (for tests and metrics).
  size_t largest_batch() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return largest_batch_;
  }

 private:
  struct Waiter {
    Key key;
    std::chrono::system_clock::time_point deadline;
    Done done;
  };

  void RunBatches() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping
      const size_t count = std::min(max_batch_, pending_.size());
      std::vector<Waiter> batch;
      batch.reserve(count);
      for (size_t i = 0; i < count; ++i) {
        batch.push_back(std::move(pending_.front()));
        pending_.pop_front();
      }
      largest_batch_ = std::max(largest_batch_, count);
      lock.unlock();
      Serve(batch);
      lock.lock();
    }
  }

  // Callers whose deadline has passed are failed without a lookup.
  void Serve(std::vector<Waiter>& batch) {
    const auto now = std::chrono::system_clock::now();
    std::vector<Key> keys;
    std::vector<Waiter*> waiting;
    keys.reserve(batch.size());
    waiting.reserve(batch.size());
    auto latest = std::chrono::system_clock::time_point::min();
    for (Waiter& waiter : batch) {
      if (waiter.deadline <= now) {
        waiter.done(absl::DeadlineExceededError("deadline passed while queued for the database"));
        continue;
      }
      latest = std::max(latest, waiter.deadline);
      keys.push_back(std::move(waiter.key));
      waiting.push_back(&waiter);
    }
    if (waiting.empty()) return;
    absl::StatusOr<std::vector<Value>> values = lookup_(keys, MillisecondsUntil(latest));
    if (values.ok() && values->size() != keys.size()) {
      values = absl::InternalError("batched lookup returned a different number of values");
    }
    for (size_t i = 0; i < waiting.size(); ++i) {
      if (values.ok()) {
        waiting[i]->done(std::move((*values)[i]));
      } else {
        waiting[i]->done(values.status());
      }
    }
  }

  const size_t max_batch_;
  const Lookup lookup_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Waiter> pending_;
  bool stopping_ = false;
  size_t largest_batch_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_ASYNC_BATCHER_H_
