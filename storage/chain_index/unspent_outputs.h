// The unspent outputs the bulk initial sync resolves spends against, in
// memory: a spend becomes a history row for the spent output's script hash
// and a bulk_spends row without a single database lookup.
//
// Memory is bounded by a capacity. Outputs live in two generations; when the
// young one is full the old one is dropped (its outputs are already staged in
// PostgreSQL) and the young one ages. Nothing is refreshed by use, because a
// spend removes its output: this evicts by creation order, and most spends on
// Bitcoin take recent outputs. A spend that misses after an eviction is
// resolved later by a join in PostgreSQL (bulk_spilled_spends).
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_UNSPENT_OUTPUTS_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_UNSPENT_OUTPUTS_H_

#include <algorithm>
#include <cstdint>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "common/chain/hash_types.h"

namespace electrum::storage {

struct OutPoint {
  chain::TxId txid;
  uint32_t vout = 0;

  bool operator==(const OutPoint&) const = default;
  template <typename H>
  friend H AbslHashValue(H state, const OutPoint& point) {
    return H::combine(std::move(state), point.txid, point.vout);
  }
};

struct UnspentOutput {
  int64_t tx_num = 0;
  chain::ScriptHash scripthash;
};

class UnspentOutputs {
 public:
  // At most `capacity` outputs are held (at least 2).
  explicit UnspentOutputs(size_t capacity = SIZE_MAX) { set_capacity(capacity); }

  // A later output with the same txid and index replaces the earlier one,
  // which becomes unspendable (Bitcoin's duplicate coinbases before BIP 30)
  // and is returned.
  std::optional<UnspentOutput> Add(const OutPoint& point, const UnspentOutput& output) {
    if (young_.size() >= generation_capacity_) Age();
    auto [it, inserted] = young_.try_emplace(point, output);
    if (!inserted) {
      UnspentOutput replaced = it->second;
      it->second = output;
      return replaced;
    }
    if (old_.empty()) return std::nullopt;
    auto old = old_.find(point);
    if (old == old_.end()) return std::nullopt;
    UnspentOutput replaced = old->second;
    old_.erase(old);
    return replaced;
  }

  // Adds an output older than every one held, unless its outpoint is already
  // held (a later duplicate wins). For reloading newest first: false, with
  // the output counted as evicted, once full.
  bool AddOlder(const OutPoint& point, const UnspentOutput& output) {
    if (young_.contains(point) || old_.contains(point)) return true;
    if (young_.size() < generation_capacity_) {
      young_.emplace(point, output);
    } else if (old_.size() < generation_capacity_) {
      old_.emplace(point, output);
    } else {
      ++evicted_;
      return false;
    }
    return true;
  }

  // Removes and returns the output; nullopt when it is not held (not
  // unspent, or evicted if evicted() > 0).
  std::optional<UnspentOutput> Spend(const OutPoint& point) {
    for (auto* generation : {&young_, &old_}) {
      auto it = generation->find(point);
      if (it == generation->end()) continue;
      UnspentOutput output = it->second;
      generation->erase(it);
      return output;
    }
    return std::nullopt;
  }

  size_t size() const { return young_.size() + old_.size(); }
  size_t capacity() const { return generation_capacity_ * 2; }
  // Outputs dropped from memory while still unspent, since the last Clear.
  uint64_t evicted() const { return evicted_; }
  void Clear() {
    young_ = {};
    old_ = {};
    evicted_ = 0;
  }
  void set_capacity(size_t capacity) { generation_capacity_ = std::max<size_t>(1, capacity / 2); }

 private:
  void Age() {
    evicted_ += old_.size();
    old_ = std::move(young_);
    young_ = {};
    young_.reserve(std::min(generation_capacity_, old_.size()));
  }

  size_t generation_capacity_ = 1;
  absl::flat_hash_map<OutPoint, UnspentOutput> young_;
  absl::flat_hash_map<OutPoint, UnspentOutput> old_;
  uint64_t evicted_ = 0;
};

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_UNSPENT_OUTPUTS_H_
