// Collects the answers of several asynchronous reads into one completion:
// slot i is called once with read i's value or error; when the last slot
// has been called, `done` runs (on that caller's thread) with all of them
// in order.
#ifndef ELECTRUM_SERVICES_COMMON_GATHER_H_
#define ELECTRUM_SERVICES_COMMON_GATHER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace electrum::services {

template <typename Value>
class Gather {
 public:
  using Done = std::function<void(std::vector<absl::StatusOr<Value>>)>;
  using Slot = std::function<void(absl::StatusOr<Value>)>;

  // `count` must be at least 1.
  static std::shared_ptr<Gather> Make(size_t count, Done done) {
    return std::shared_ptr<Gather>(new Gather(count, std::move(done)));
  }

  // Keeps the gather alive until called.
  static Slot SlotOf(std::shared_ptr<Gather> gather, size_t index) {
    return [gather = std::move(gather), index](absl::StatusOr<Value> value) {
      gather->Fill(index, std::move(value));
    };
  }

 private:
  Gather(size_t count, Done done) : values_(count), left_(count), done_(std::move(done)) {}

  void Fill(size_t index, absl::StatusOr<Value> value) {
    std::unique_lock<std::mutex> lock(mutex_);
    values_[index] = std::move(value);
    if (--left_ > 0) return;
    lock.unlock();
    done_(std::move(values_));
  }

  std::mutex mutex_;
  std::vector<absl::StatusOr<Value>> values_;
  size_t left_;
  Done done_;
};

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_GATHER_H_
