// One Watch stream to the history service for the whole gateway: any number
// of sessions subscribed to a script hash is one upstream watch (reference
// counted). Status changes fan out to the subscribed sessions. After the
// stream breaks it is reopened and every watched script hash re-added, so
// statuses that changed meanwhile are delivered too.
#ifndef ELECTRUM_GATEWAY_SUBSCRIPTIONS_WATCH_HUB_H_
#define ELECTRUM_GATEWAY_SUBSCRIPTIONS_WATCH_HUB_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/chain/hash_types.h"
#include "electrum/v1/history.grpc.pb.h"

namespace electrum::gateway {

// A status as the history service sends it: 32 bytes, empty for a script
// hash without history.
using StatusBytes = std::string;

class ScriptHashSubscriber {
 public:
  virtual ~ScriptHashSubscriber() = default;
  // Called on the hub's thread; implementations hand it to their own.
  virtual void OnScriptHashStatus(const chain::ScriptHash& scripthash,
                                  const StatusBytes& status) = 0;
};

// Sees every status the stream delivers before any subscriber is notified,
// and every end of the stream (changes may then have been missed): what a
// cache of values derived from statuses needs to drop them in time.
class WatchObserver {
 public:
  virtual ~WatchObserver() = default;
  virtual void OnStatus(const chain::ScriptHash& scripthash, const StatusBytes& status) = 0;
  virtual void OnStreamEnded() = 0;
};

struct WatchHubOptions {
  // Most distinct script hashes the whole gateway watches (all sessions).
  size_t max_watched = 10'000'000;
  // Script hashes per WatchRequest when (re)adding many.
  size_t chunk = 10000;
  std::chrono::milliseconds min_backoff{200};
  std::chrono::milliseconds max_backoff{5000};
};

class WatchHub {
 public:
  WatchHub(WatchHubOptions options, v1::AddressHistoryService::StubInterface& stub);
  ~WatchHub();

  void Start();
  void Stop();

  // Registers `subscriber` for `scripthash`. Returns the status the hub
  // already knows (another session watches it), nullopt when it must be
  // asked for; RESOURCE_EXHAUSTED when a new script hash would pass
  // max_watched.
  absl::StatusOr<std::optional<StatusBytes>> Subscribe(
      const chain::ScriptHash& scripthash, const std::shared_ptr<ScriptHashSubscriber>& subscriber);
  void Unsubscribe(const chain::ScriptHash& scripthash, const ScriptHashSubscriber* subscriber);

  size_t watched() const;
  bool Watches(const chain::ScriptHash& scripthash) const;

  // At most one; set before Start().
  void SetObserver(WatchObserver* observer) { observer_ = observer; }

 private:
  struct Entry {
    std::vector<std::weak_ptr<ScriptHashSubscriber>> subscribers;
    std::optional<StatusBytes> status;
  };

  void Run();
  void WriteLoop(grpc::ClientReaderWriterInterface<v1::WatchRequest, v1::WatchEvent>& stream,
                 const std::atomic<bool>& done);
  void Deliver(const v1::WatchEvent& event);

  const WatchHubOptions options_;
  v1::AddressHistoryService::StubInterface& stub_;

  mutable std::mutex mutex_;
  std::condition_variable pending_changed_;
  absl::flat_hash_map<chain::ScriptHash, Entry> entries_;
  std::vector<chain::ScriptHash> pending_adds_;
  std::vector<chain::ScriptHash> pending_removes_;
  std::shared_ptr<grpc::ClientContext> stream_context_;
  std::atomic<bool> stopping_{false};
  WatchObserver* observer_ = nullptr;
  std::thread thread_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SUBSCRIPTIONS_WATCH_HUB_H_
