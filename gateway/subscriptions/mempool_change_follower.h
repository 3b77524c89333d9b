// Follows the mempool service's SubscribeChanges stream on a thread of its
// own and reports that the mempool changed, at most once per
// `min_interval` (changes in between are folded into the next report).
// Reconnects with backoff when the stream breaks; a reconnect counts as a
// change, since some may have been missed. Used where a coin extension
// re-sends something on every mempool change (Dash's masternode statuses).
#ifndef ELECTRUM_GATEWAY_SUBSCRIPTIONS_MEMPOOL_CHANGE_FOLLOWER_H_
#define ELECTRUM_GATEWAY_SUBSCRIPTIONS_MEMPOOL_CHANGE_FOLLOWER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "electrum/v1/mempool.grpc.pb.h"

namespace electrum::gateway {

struct MempoolChangeFollowerOptions {
  std::chrono::milliseconds min_interval{1000};
  std::chrono::milliseconds min_backoff{200};
  std::chrono::milliseconds max_backoff{5000};
};

class MempoolChangeFollower {
 public:
  MempoolChangeFollower(MempoolChangeFollowerOptions options,
                        v1::MempoolService::StubInterface& stub, std::function<void()> on_change);
  ~MempoolChangeFollower();  // stops

  void Start();
  void Stop();

 private:
  void Read();
  void Deliver();
  void MarkChanged();

  const MempoolChangeFollowerOptions options_;
  v1::MempoolService::StubInterface& stub_;
  std::function<void()> on_change_;

  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool changed_ = false;
  std::shared_ptr<grpc::ClientContext> stream_context_;
  std::thread reader_, deliverer_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SUBSCRIPTIONS_MEMPOOL_CHANGE_FOLLOWER_H_
