// Coalesces concurrent single-key lookups into batched ones: callers that
// arrive while `max_runners` batches are already in flight wait, and the
// next free runner (one of the waiting callers' own threads) takes all of
// them at once. Idle, every call is its own batch of one (no added
// latency); under load, one database round trip serves many callers.
#ifndef ELECTRUM_SERVICES_COMMON_COALESCING_BATCHER_H_
#define ELECTRUM_SERVICES_COMMON_COALESCING_BATCHER_H_

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace electrum::services {

template <typename Key, typename Value>
class CoalescingBatcher {
 public:
  // Answers keys in order (one value per key) or fails the whole batch.
  using Lookup = std::function<absl::StatusOr<std::vector<Value>>(const std::vector<Key>&)>;

  CoalescingBatcher(size_t max_runners, size_t max_batch)
      : max_runners_(std::max<size_t>(1, max_runners)),
        max_batch_(std::max<size_t>(1, max_batch)) {}

  // `lookup` runs on this thread when it becomes a runner; it may serve
  // other callers' keys too.
  absl::StatusOr<Value> Get(const Key& key, const Lookup& lookup) {
    Waiter self{key};
    std::unique_lock<std::mutex> lock(mutex_);
    pending_.push_back(&self);
    while (!self.result) {
      if (running_ < max_runners_ && !pending_.empty()) {
        RunOneBatch(lock, lookup);
        continue;
      }
      wake_.wait(lock);
    }
    return std::move(*self.result);
  }

  // Most keys one batch has served so far (for tests and metrics).
  size_t largest_batch() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return largest_batch_;
  }

 private:
  struct Waiter {
    Key key;
    std::optional<absl::StatusOr<Value>> result;
  };

  void RunOneBatch(std::unique_lock<std::mutex>& lock, const Lookup& lookup) {
    const size_t count = std::min(max_batch_, pending_.size());
    std::vector<Waiter*> batch(pending_.begin(), pending_.begin() + count);
    pending_.erase(pending_.begin(), pending_.begin() + count);
    ++running_;
    largest_batch_ = std::max(largest_batch_, count);
    lock.unlock();
    std::vector<Key> keys;
    keys.reserve(count);
    for (const Waiter* waiter : batch) keys.push_back(waiter->key);
    absl::StatusOr<std::vector<Value>> values = lookup(keys);
    if (values.ok() && values->size() != keys.size()) {
      values = absl::InternalError("batched lookup returned a different number of values");
    }
    lock.lock();
    for (size_t i = 0; i < batch.size(); ++i) {
      if (values.ok()) {
        batch[i]->result.emplace(std::move((*values)[i]));
      } else {
        batch[i]->result.emplace(values.status());
      }
    }
    --running_;
    wake_.notify_all();
  }

  const size_t max_runners_;
  const size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Waiter*> pending_;
  size_t running_ = 0;
  size_t largest_batch_ = 0;
};

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_COALESCING_BATCHER_H_
