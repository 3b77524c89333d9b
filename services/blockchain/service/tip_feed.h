// Fans the tip out to SubscribeHeaders streams. Publish() records each tip
// change; a stream waits for anything newer than what it sent. Changes that
// arrive while a stream is busy are coalesced: it gets the latest tip, with
// the lowest reorg height among the changes it missed.
#ifndef ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_TIP_FEED_H_
#define ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_TIP_FEED_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "services/blockchain/service/header_cache.h"

namespace electrum::blockchain {

struct TipEvent {
  uint64_t sequence = 0;
  TipChange change;
};

class TipFeed {
 public:
  void Publish(const TipChange& change);

  // The coalesced change after `after_sequence`, waiting up to `timeout`;
  // nullopt on timeout or after Close().
  std::optional<TipEvent> WaitAfter(uint64_t after_sequence, std::chrono::milliseconds timeout);

  // The latest event (sequence 0 when none yet).
  std::optional<TipEvent> Latest() const;

  // Wakes every waiter for good (shutdown).
  void Close();

 private:
  // Recent reorg heights kept for coalescing.
  static constexpr size_t kHistory = 1024;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<TipEvent> events_;
  bool closed_ = false;
};

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_TIP_FEED_H_
