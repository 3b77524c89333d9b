// A small thread-safe least-recently-used map, bounded by a total cost (each
// entry's cost is given when it is stored: 1 by default, i.e. a count).
#ifndef ELECTRUM_SERVICES_COMMON_LRU_CACHE_H_
#define ELECTRUM_SERVICES_COMMON_LRU_CACHE_H_

#include <list>
#include <mutex>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace electrum::services {

template <typename Key, typename Value>
class LruCache {
 public:
  explicit LruCache(size_t max_cost) : max_cost_(max_cost) {}

  std::optional<Value> Get(const Key& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    order_.splice(order_.begin(), order_, it->second);
    return std::get<1>(*it->second);
  }

  // An entry costing more than the whole budget is not stored.
  void Put(const Key& key, Value value, size_t cost = 1) {
    if (cost > max_cost_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    EraseLocked(key);
    order_.emplace_front(key, std::move(value), cost);
    index_[key] = order_.begin();
    cost_ += cost;
    while (cost_ > max_cost_) EraseLocked(std::get<0>(order_.back()));
  }

  void Erase(const Key& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    EraseLocked(key);
  }

  void Clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    index_.clear();
    order_.clear();
    cost_ = 0;
  }

 private:
  using Entry = std::tuple<Key, Value, size_t>;

  void EraseLocked(const Key& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    cost_ -= std::get<2>(*it->second);
    order_.erase(it->second);
    index_.erase(it);
  }

  const size_t max_cost_;
  std::mutex mutex_;
  std::list<Entry> order_;  // most recent first
  absl::flat_hash_map<Key, typename std::list<Entry>::iterator> index_;
  size_t cost_ = 0;
};

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_LRU_CACHE_H_
