// Coalesces concurrent single-key calls to an upstream service, from any
// sessions of the gateway, into batched calls: while fewer than
// `max_in_flight` batched calls are out, a request goes at once (alone when
// the load is light, so no latency is added); the rest queue, and each
// answered call sends what has queued, up to `max_batch` keys, as the next.
// One gRPC call then carries many requests: its cost (a few tens of
// microseconds of CPU on each side) is paid once.
#ifndef ELECTRUM_GATEWAY_UPSTREAM_CALL_COALESCER_H_
#define ELECTRUM_GATEWAY_UPSTREAM_CALL_COALESCER_H_

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "boost/asio/associated_executor.hpp"
#include "boost/asio/async_result.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/use_awaitable.hpp"

namespace electrum::gateway {

struct CoalescerLimits {
  // Batched calls out at once (per method).
  size_t max_in_flight = 4;
  // Most keys in one batched call.
  size_t max_batch = 200;
};

template <typename Value>
class CallCoalescer {
 public:
  using Values = std::vector<absl::StatusOr<Value>>;
  using Answer = std::function<void(absl::StatusOr<Values>)>;
  // Starts one batched call; `answer` gets a value or an error per key, in
  // order, or the call's error (on any thread, maybe before Send returns).
  using Send = std::function<void(std::vector<std::string> keys, std::chrono::milliseconds timeout,
                                  Answer answer)>;

  CallCoalescer(CoalescerLimits limits, Send send)
      : core_(std::make_shared<Core>(CoalescerLimits{std::max<size_t>(1, limits.max_in_flight),
                                                     std::max<size_t>(1, limits.max_batch)},
                                     std::move(send))) {}

  // Calls still out may answer later: they find the core (kept alive by
  // their callbacks) stopped, and send nothing more; queued requests fail.
  ~CallCoalescer() { core_->Stop(); }

  CallCoalescer(const CallCoalescer&) = delete;
  CallCoalescer& operator=(const CallCoalescer&) = delete;

  // Resumes on the caller's executor.
  boost::asio::awaitable<absl::StatusOr<Value>> Get(const std::string& key,
                                                    std::chrono::milliseconds timeout) {
    auto initiation = [core = core_, &key, timeout](auto handler) {
      using Handler = decltype(handler);
      auto shared = std::make_shared<Handler>(std::move(handler));
      core->Enqueue(Waiter{key, Clock::now() + timeout, [shared](absl::StatusOr<Value> value) {
                             auto executor = boost::asio::get_associated_executor(*shared);
                             boost::asio::post(executor,
                                               [shared, value = std::move(value)]() mutable {
                                                 (*shared)(std::move(value));
                                               });
                           }});
    };
    auto completion = boost::asio::use_awaitable;
    absl::StatusOr<Value> value =
        co_await boost::asio::async_initiate<decltype(completion), void(absl::StatusOr<Value>)>(
            initiation, completion);
    co_return value;
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Waiter {
    std::string key;
    Clock::time_point deadline;
    std::function<void(absl::StatusOr<Value>)> done;
  };
  using Batch = std::vector<Waiter>;

  // What the calls' callbacks share with the coalescer.
  class Core : public std::enable_shared_from_this<Core> {
   public:
    Core(CoalescerLimits limits, Send send) : limits_(limits), send_(std::move(send)) {}

    void Enqueue(Waiter waiter) {
      std::unique_lock<std::mutex> lock(mutex_);
      if (stopped_) {
        lock.unlock();
        return waiter.done(absl::UnavailableError("the gateway is stopping"));
      }
      pending_.push_back(std::move(waiter));
      SendWhileRoom(lock);
    }

    void Stop() {
      std::deque<Waiter> orphans;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        stopped_ = true;
        orphans.swap(pending_);
      }
      for (Waiter& waiter : orphans) waiter.done(absl::UnavailableError("the gateway is stopping"));
    }

   private:
    void SendWhileRoom(std::unique_lock<std::mutex>& lock) {
      while (!stopped_ && in_flight_ < limits_.max_in_flight && !pending_.empty()) {
        Batch batch;
        const size_t count = std::min(limits_.max_batch, pending_.size());
        batch.reserve(count);
        for (size_t i = 0; i < count; ++i) {
          batch.push_back(std::move(pending_.front()));
          pending_.pop_front();
        }
        ++in_flight_;
        lock.unlock();
        Start(std::move(batch));
        lock.lock();
      }
    }

    // Waiters past their deadline fail here; the call gets the latest
    // deadline of the rest.
    void Start(Batch all) {
      const auto now = Clock::now();
      auto batch = std::make_shared<Batch>();
      std::vector<std::string> keys;
      Clock::time_point latest = now;
      for (Waiter& waiter : all) {
        if (waiter.deadline <= now) {
          waiter.done(absl::DeadlineExceededError("upstream deadline passed while queued"));
          continue;
        }
        latest = std::max(latest, waiter.deadline);
        keys.push_back(waiter.key);
        batch->push_back(std::move(waiter));
      }
      if (batch->empty()) return Finished();
      const auto timeout =
          std::max(std::chrono::milliseconds(1),
                   std::chrono::duration_cast<std::chrono::milliseconds>(latest - now));
      send_(std::move(keys), timeout,
            [core = this->shared_from_this(), batch](absl::StatusOr<Values> values) {
              if (values.ok() && values->size() != batch->size()) {
                values = absl::InternalError("upstream answered a different number of keys");
              }
              for (size_t i = 0; i < batch->size(); ++i) {
                (*batch)[i].done(values.ok() ? std::move((*values)[i])
                                             : absl::StatusOr<Value>(values.status()));
              }
              core->Finished();
            });
    }

    void Finished() {
      std::unique_lock<std::mutex> lock(mutex_);
      --in_flight_;
      SendWhileRoom(lock);
    }

    const CoalescerLimits limits_;
    const Send send_;
    std::mutex mutex_;
    std::deque<Waiter> pending_;
    size_t in_flight_ = 0;
    bool stopped_ = false;
  };

  const std::shared_ptr<Core> core_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_UPSTREAM_CALL_COALESCER_H_
