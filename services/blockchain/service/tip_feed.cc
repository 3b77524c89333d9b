#include "services/blockchain/service/tip_feed.h"

#include <algorithm>

namespace electrum::blockchain {

void TipFeed::Publish(const TipChange& change) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const uint64_t sequence = events_.empty() ? 1 : events_.back().sequence + 1;
    events_.push_back(TipEvent{sequence, change});
    if (events_.size() > kHistory) events_.pop_front();
  }
  changed_.notify_all();
}

std::optional<TipEvent> TipFeed::WaitAfter(uint64_t after_sequence,
                                           std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  const bool ready = changed_.wait_for(lock, timeout, [&] {
    return closed_ || (!events_.empty() && events_.back().sequence > after_sequence);
  });
  if (!ready || closed_) return std::nullopt;
  TipEvent coalesced = events_.back();
  // A stream that fell behind the kept history may have missed a reorg
  // below what is kept: report from the oldest kept change's height.
  const bool missed_history = events_.front().sequence > after_sequence + 1;
  for (auto it = events_.rbegin(); it != events_.rend() && it->sequence > after_sequence; ++it) {
    if (it->change.reorg_from_height) {
      coalesced.change.reorg_from_height =
          std::min(coalesced.change.reorg_from_height.value_or(*it->change.reorg_from_height),
                   *it->change.reorg_from_height);
    }
  }
  if (missed_history) {
    const int32_t oldest = events_.front().change.tip.height;
    coalesced.change.reorg_from_height =
        std::min(coalesced.change.reorg_from_height.value_or(oldest), oldest);
  }
  return coalesced;
}

std::optional<TipEvent> TipFeed::Latest() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (events_.empty()) return std::nullopt;
  return events_.back();
}

void TipFeed::Close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

}  // namespace electrum::blockchain
