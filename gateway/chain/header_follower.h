// Keeps a HeaderStore equal to the blockchain service's chain: follows its
// SubscribeHeaders stream on a thread of its own, fetches missing headers in
// chunks, finds the fork point after a reorg or a reconnect, and reports
// every new tip. Reconnects with backoff when the stream breaks.
#ifndef ELECTRUM_GATEWAY_CHAIN_HEADER_FOLLOWER_H_
#define ELECTRUM_GATEWAY_CHAIN_HEADER_FOLLOWER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "electrum/v1/blockchain.grpc.pb.h"
#include "gateway/chain/header_store.h"

namespace electrum::gateway {

struct HeaderFollowerOptions {
  // Headers per GetHeaders call while catching up (the service caps it too).
  uint32_t chunk = 2016;
  std::chrono::milliseconds call_timeout{10000};
  std::chrono::milliseconds min_backoff{200};
  std::chrono::milliseconds max_backoff{5000};
};

class HeaderFollower {
 public:
  using TipCallback = std::function<void(const StoredHeader& tip)>;

  HeaderFollower(HeaderFollowerOptions options, v1::BlockchainService::StubInterface& stub,
                 HeaderStore& store, TipCallback on_tip);
  ~HeaderFollower();

  void Start();
  void Stop();
  // Waits until the store has caught up with the service once.
  bool WaitUntilSynced(std::chrono::milliseconds timeout);

 private:
  void Run();
  // Brings the store to `tip` (fork search, then fill).
  absl::Status SyncTo(const v1::HeadersEvent& event);
  absl::Status Fill(int32_t target_height);
  absl::StatusOr<chain::BlockHash> UpstreamHashAt(int32_t height);

  const HeaderFollowerOptions options_;
  v1::BlockchainService::StubInterface& stub_;
  HeaderStore& store_;
  TipCallback on_tip_;

  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
  bool synced_ = false;
  std::shared_ptr<grpc::ClientContext> stream_context_;
  std::thread thread_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_CHAIN_HEADER_FOLLOWER_H_
