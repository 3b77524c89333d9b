// Replies to get_balance, listunspent and get_history kept in the gateway,
// so a wallet asking again does not cross gRPC and PostgreSQL. A script
// hash's replies live exactly as long as its status: the cache watches every
// script hash it holds through the WatchHub, and drops its replies on any
// status the hub delivers for it (before sessions hear of the change) and on
// every end of the Watch stream. A reply is kept only if it was asked for
// after the hub knew the script hash's status and no status arrived while it
// was being read; so nothing read before a change outlives it.
//
// A script hash is admitted on its second request among the last
// `admission_window` first ones (a pass over many distinct script hashes
// does not make the history service compute statuses it will never need),
// or at once when a session already subscribes to it.
#ifndef ELECTRUM_GATEWAY_CACHE_ADDRESS_REPLY_CACHE_H_
#define ELECTRUM_GATEWAY_CACHE_ADDRESS_REPLY_CACHE_H_

#include <array>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "common/chain/hash_types.h"
#include "gateway/subscriptions/watch_hub.h"

namespace electrum::gateway {

enum class AddressQuery { kBalance = 0, kUnspent = 1, kHistory = 2 };

struct CachedReply {
  std::string json;
  // What the request costs on top of its method's base cost (as uncached).
  double extra_cost = 0;
};

struct AddressReplyCacheOptions {
  // Bound on the replies' bytes; 0 turns the cache off.
  size_t max_bytes = 64 << 20;
  // Script hashes asked once that are remembered for admission.
  size_t admission_window = 100000;
};

class AddressReplyCache : public WatchObserver {
 public:
  // What Store() needs: the script hash's generation when the read began.
  struct Ticket {
    chain::ScriptHash scripthash;
    uint64_t generation = 0;
  };

  AddressReplyCache(AddressReplyCacheOptions options, WatchHub& hub);
  ~AddressReplyCache() override;

  std::optional<CachedReply> Find(const chain::ScriptHash& scripthash, AddressQuery query);
  // Before reading upstream: a ticket when the reply may be kept.
  std::optional<Ticket> Prepare(const chain::ScriptHash& scripthash);
  // False when the reply is not kept (it may be stale, or the cache is
  // full of more recent ones).
  bool Store(const Ticket& ticket, AddressQuery query, CachedReply reply);

  void OnStatus(const chain::ScriptHash& scripthash, const StatusBytes& status) override;
  void OnStreamEnded() override;

  size_t bytes() const;
  size_t scripthashes() const;

 private:
  struct Slot {
    uint64_t generation = 0;
    // The hub has delivered a (non-empty) status since the last stream
    // began: reads from now on are followed by every change.
    bool status_known = false;
    std::array<std::optional<CachedReply>, 3> replies;
    size_t bytes = 0;
    std::list<chain::ScriptHash>::iterator recency;
  };
  // Registered with the hub for each cached script hash, so it is watched
  // upstream; changes reach the cache through OnStatus, ahead of sessions.
  class Registration : public ScriptHashSubscriber {
   public:
    void OnScriptHashStatus(const chain::ScriptHash&, const StatusBytes&) override {}
  };

  bool AdmitLocked(const chain::ScriptHash& scripthash);
  void DropRepliesLocked(Slot& slot);
  // Removes least recently used slots past the budget; returns their
  // script hashes, for Unsubscribe().
  std::vector<chain::ScriptHash> EvictLocked();
  void Unsubscribe(const std::vector<chain::ScriptHash>& scripthashes);

  const AddressReplyCacheOptions options_;
  WatchHub& hub_;
  const std::shared_ptr<Registration> registration_ = std::make_shared<Registration>();

  mutable std::mutex mutex_;
  absl::flat_hash_map<chain::ScriptHash, Slot> slots_;
  std::list<chain::ScriptHash> recency_;  // most recent first
  size_t bytes_ = 0;
  // Admission: two generations of script hashes asked once.
  absl::flat_hash_set<chain::ScriptHash> seen_, seen_before_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_CACHE_ADDRESS_REPLY_CACHE_H_
