#include "services/history/change_feed.h"

namespace electrum::history {

void ChangeFeed::Publish(bool everything, absl::flat_hash_set<chain::ScriptHash> scripthashes) {
  if (!everything && scripthashes.empty()) return;
  ChangeSet set{0, everything, std::move(scripthashes)};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    set.sequence = latest_ + 1;
    started_.store(set.sequence);
    if (everything) started_everything_.store(set.sequence);
  }
  for (const auto& observer : observers_) observer(set);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    latest_ = set.sequence;
    sets_.push_back(std::move(set));
    if (sets_.size() > kept_sets_) sets_.pop_front();
  }
  changed_.notify_all();
}

std::optional<ChangeSet> ChangeFeed::WaitAfter(uint64_t after, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [&] { return closed_ || latest_ > after; }) || closed_) {
    return std::nullopt;
  }
  ChangeSet merged;
  merged.sequence = latest_;
  // Sets before the kept history are unknown: assume everything changed.
  merged.everything = sets_.empty() || sets_.front().sequence > after + 1;
  for (const ChangeSet& set : sets_) {
    if (set.sequence <= after || merged.everything) continue;
    if (set.everything) {
      merged.everything = true;
      continue;
    }
    merged.scripthashes.insert(set.scripthashes.begin(), set.scripthashes.end());
  }
  if (merged.everything) merged.scripthashes.clear();
  return merged;
}

void ChangeFeed::AddObserver(std::function<void(const ChangeSet&)> observer) {
  observers_.push_back(std::move(observer));
}

uint64_t ChangeFeed::latest_sequence() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return latest_;
}

void ChangeFeed::Close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

}  // namespace electrum::history
