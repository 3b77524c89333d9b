// Recently computed statuses, so a large history is hashed once per change
// rather than once per request. Entries are dropped when the ChangeFeed
// reports their script hash; a status computed while a change was being
// published is not stored (the sequence moved), so nothing stale survives.
#ifndef ELECTRUM_SERVICES_HISTORY_STATUS_CACHE_H_
#define ELECTRUM_SERVICES_HISTORY_STATUS_CACHE_H_

#include <optional>

#include "common/crypto/sha256.h"
#include "services/common/lru_cache.h"
#include "services/history/change_feed.h"

namespace electrum::history {

class StatusCache {
 public:
  using Status = std::optional<Sha256Digest>;

  // Registers with `feed` (before it starts publishing).
  StatusCache(ChangeFeed& feed, size_t max_entries);

  // The sequence to pass to Store() for a status computed from now on.
  uint64_t Observe() const { return feed_.started_sequence(); }
  std::optional<Status> Find(const chain::ScriptHash& scripthash) { return cache_.Get(scripthash); }
  void Store(const chain::ScriptHash& scripthash, const Status& status, uint64_t observed);

 private:
  void Drop(const ChangeSet& changes);

  ChangeFeed& feed_;
  services::LruCache<chain::ScriptHash, Status> cache_;
};

}  // namespace electrum::history

#endif  // ELECTRUM_SERVICES_HISTORY_STATUS_CACHE_H_
