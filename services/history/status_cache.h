// Per-script-hash values (statuses, histories) kept until their script hash
// changes, so a large history is read and hashed once per change rather than
// once per request. Entries are dropped when the ChangeFeed reports their
// script hash; a value computed while a change was being published is not
// stored (the sequence moved), so nothing stale survives.
#ifndef ELECTRUM_SERVICES_HISTORY_STATUS_CACHE_H_
#define ELECTRUM_SERVICES_HISTORY_STATUS_CACHE_H_

#include <memory>
#include <optional>
#include <vector>

#include "common/crypto/sha256.h"
#include "services/common/lru_cache.h"
#include "services/history/change_feed.h"
#include "storage/address_index/address_queries.h"
#include "storage/address_index/status_queries.h"

namespace electrum::history {

// The service works in the address index's types.
using storage::Balance;
using storage::ConfirmedPrefix;
using storage::HistoryItem;
using storage::HistoryWithPrefix;
using storage::StatusPrefix;
using storage::StatusRead;
using storage::Unspent;

// What drops an entry: any change of its script hash, or only a change of
// everything (a reorg or a reconnect), for values that new blocks and
// mempool changes only extend.
enum class DropOn { kAnyChange, kEverythingChange };

template <typename Value>
class ScriptHashCache {
 public:
  // Registers with `feed` (before it starts publishing). `max_cost` bounds
  // the sum of the costs given to Store().
  ScriptHashCache(ChangeFeed& feed, size_t max_cost, DropOn drop_on = DropOn::kAnyChange)
      : feed_(feed), cache_(max_cost), drop_on_(drop_on) {
    feed_.AddObserver([this](const ChangeSet& changes) { Drop(changes); });
  }

  // The sequence to pass to Store() for a value computed from now on.
  uint64_t Observe() const {
    return drop_on_ == DropOn::kAnyChange ? feed_.started_sequence()
                                          : feed_.started_everything_sequence();
  }
  std::optional<Value> Find(const chain::ScriptHash& scripthash) { return cache_.Get(scripthash); }
  void Store(const chain::ScriptHash& scripthash, Value value, uint64_t observed, size_t cost = 1) {
    // A change published since the computation started may not be in it.
    if (Observe() != observed) return;
    cache_.Put(scripthash, std::move(value), cost);
    // A publish started between the check and the put may have dropped
    // entries before this one landed: undo.
    if (Observe() != observed) cache_.Erase(scripthash);
  }

 private:
  void Drop(const ChangeSet& changes) {
    if (changes.everything) {
      cache_.Clear();
      return;
    }
    if (drop_on_ == DropOn::kEverythingChange) return;
    for (const chain::ScriptHash& scripthash : changes.scripthashes) cache_.Erase(scripthash);
  }

  ChangeFeed& feed_;
  services::LruCache<chain::ScriptHash, Value> cache_;
  const DropOn drop_on_;
};

// Statuses (null for an empty history), one unit of cost each.
using StatusCache = ScriptHashCache<std::optional<Sha256Digest>>;
// Whole histories, costed by their size in bytes.
using HistoryCache = ScriptHashCache<std::shared_ptr<const std::vector<HistoryItem>>>;
// Balances (confirmed and mempool), one unit of cost each.
using BalanceCache = ScriptHashCache<Balance>;
// Unspent lists, costed by their size in bytes.
using UnspentCache = ScriptHashCache<std::shared_ptr<const std::vector<Unspent>>>;
// Confirmed parts of long histories, extended after blocks (DropOn::
// kEverythingChange), costed by size in bytes.
using ConfirmedPrefixCache = ScriptHashCache<std::shared_ptr<const ConfirmedPrefix>>;
// The same for histories too long to keep: the status hash state after
// their confirmed part, costed by size in bytes.
using StatusPrefixCache = ScriptHashCache<std::shared_ptr<const StatusPrefix>>;

}  // namespace electrum::history

#endif  // ELECTRUM_SERVICES_HISTORY_STATUS_CACHE_H_
