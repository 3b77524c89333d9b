// Which script hashes changed, published after every block commit and
// mempool batch, for Watch streams to pick up. Each change set has a
// sequence number; a stream asks for everything after the last one it
// handled and gets the union (or "everything" after a reorg, a reconnect, or
// when it fell further behind than the kept history).
#ifndef ELECTRUM_SERVICES_HISTORY_CHANGE_FEED_H_
#define ELECTRUM_SERVICES_HISTORY_CHANGE_FEED_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "common/chain/hash_types.h"

namespace electrum::history {

struct ChangeSet {
  uint64_t sequence = 0;
  // Every script hash may have changed (its own list is then empty).
  bool everything = false;
  absl::flat_hash_set<chain::ScriptHash> scripthashes;
};

class ChangeFeed {
 public:
  explicit ChangeFeed(size_t kept_sets = 256) : kept_sets_(kept_sets) {}

  void Publish(bool everything, absl::flat_hash_set<chain::ScriptHash> scripthashes);

  // Called on every Publish, in the publisher's thread, before waiters wake
  // (caches drop what changed). Register before publishing starts.
  void AddObserver(std::function<void(const ChangeSet&)> observer);

  // The union of the sets after `after`, waiting up to `timeout`.
  std::optional<ChangeSet> WaitAfter(uint64_t after, std::chrono::milliseconds timeout);

  uint64_t latest_sequence() const;
  // The sequence of the newest Publish started (observers may still be
  // running): what caches compare against.
  uint64_t started_sequence() const { return started_.load(); }
  // The same for the newest "everything" Publish (reorgs, reconnects):
  // what caches of append-only values compare against.
  uint64_t started_everything_sequence() const { return started_everything_.load(); }
  void Close();

 private:
  const size_t kept_sets_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<ChangeSet> sets_;
  std::vector<std::function<void(const ChangeSet&)>> observers_;
  uint64_t latest_ = 0;
  std::atomic<uint64_t> started_{0};
  std::atomic<uint64_t> started_everything_{0};
  bool closed_ = false;
};

}  // namespace electrum::history

#endif  // ELECTRUM_SERVICES_HISTORY_CHANGE_FEED_H_
