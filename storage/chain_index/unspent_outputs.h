// The unspent outputs the bulk initial sync resolves spends against, in
// memory: a spend becomes a history row for the spent output's script hash
// and a bulk_spends row without a single database lookup. About 100 bytes
// per entry; the indexer caps the count (and leaves bulk mode) to bound it.
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_UNSPENT_OUTPUTS_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_UNSPENT_OUTPUTS_H_

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
  // A later output with the same txid and index replaces the earlier one,
  // which becomes unspendable (Bitcoin's duplicate coinbases before BIP 30)
  // and is returned.
  std::optional<UnspentOutput> Add(const OutPoint& point, const UnspentOutput& output) {
    auto [it, inserted] = map_.try_emplace(point, output);
    if (inserted) return std::nullopt;
    UnspentOutput replaced = it->second;
    it->second = output;
    return replaced;
  }

  // Removes and returns the output; nullopt when it is not unspent.
  std::optional<UnspentOutput> Spend(const OutPoint& point) {
    auto it = map_.find(point);
    if (it == map_.end()) return std::nullopt;
    UnspentOutput output = it->second;
    map_.erase(it);
    return output;
  }

  size_t size() const { return map_.size(); }
  void Clear() { map_ = {}; }
  void Reserve(size_t count) { map_.reserve(count); }

 private:
  absl::flat_hash_map<OutPoint, UnspentOutput> map_;
};

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_UNSPENT_OUTPUTS_H_
