// A small thread-safe least-recently-used map with a fixed entry limit.
#ifndef ELECTRUM_SERVICES_COMMON_LRU_CACHE_H_
#define ELECTRUM_SERVICES_COMMON_LRU_CACHE_H_

#include <list>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace electrum::services {

template <typename Key, typename Value>
class LruCache {
 public:
  explicit LruCache(size_t max_entries) : max_entries_(max_entries) {}

  std::optional<Value> Get(const Key& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second;
  }

  void Put(const Key& key, Value value) {
    if (max_entries_ == 0) return;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      it->second->second = std::move(value);
      order_.splice(order_.begin(), order_, it->second);
      return;
    }
    order_.emplace_front(key, std::move(value));
    index_[key] = order_.begin();
    if (order_.size() > max_entries_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

  void Erase(const Key& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return;
    order_.erase(it->second);
    index_.erase(it);
  }

  void Clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    index_.clear();
    order_.clear();
  }

 private:
  const size_t max_entries_;
  std::mutex mutex_;
  std::list<std::pair<Key, Value>> order_;  // most recent first
  absl::flat_hash_map<Key, typename std::list<std::pair<Key, Value>>::iterator> index_;
};

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_LRU_CACHE_H_
