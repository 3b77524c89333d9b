#include "services/history/status_cache.h"

namespace electrum::history {

StatusCache::StatusCache(ChangeFeed& feed, size_t max_entries) : feed_(feed), cache_(max_entries) {
  feed_.AddObserver([this](const ChangeSet& changes) { Drop(changes); });
}

void StatusCache::Store(const chain::ScriptHash& scripthash, const Status& status,
                        uint64_t observed) {
  // A change published since the computation started may not be in it.
  if (feed_.started_sequence() != observed) return;
  cache_.Put(scripthash, status);
  // A publish started between the check and the put may have dropped
  // entries before this one landed: undo.
  if (feed_.started_sequence() != observed) cache_.Erase(scripthash);
}

void StatusCache::Drop(const ChangeSet& changes) {
  if (changes.everything) {
    cache_.Clear();
    return;
  }
  for (const chain::ScriptHash& scripthash : changes.scripthashes) cache_.Erase(scripthash);
}

}  // namespace electrum::history
