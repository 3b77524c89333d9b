// Every header of the indexed chain in memory (80 bytes + hash per block,
// ~115 MB for a million blocks; merge-mined coins add their AuxPoW proofs), so header reads, ranges
// and checkpoint proofs never touch the database. Refresh() catches up with the index after a
// NOTIFY and reports a reorg as the lowest height whose header changed.
#ifndef ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_HEADER_CACHE_H_
#define ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_HEADER_CACHE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/chain/checkpoint_trees.h"
#include "common/chain/hash_types.h"
#include "common/chain/merkle.h"

namespace pqxx {
class connection_base;
class transaction_base;
}  // namespace pqxx

namespace electrum::blockchain {

using RawHeader = std::array<uint8_t, 80>;

struct CachedHeader {
  int32_t height = 0;
  chain::BlockHash hash;
  RawHeader raw{};
  // Merge-mined coins: the AuxPoW proof after the header; empty elsewhere.
  std::string pow_data;
};

struct TipChange {
  CachedHeader tip;
  // Set when blocks were replaced: the lowest replaced height.
  std::optional<int32_t> reorg_from_height;
};

class HeaderCache {
 public:
  // Brings the cache to the index's tip. nullopt when nothing changed (or
  // the index is empty). A reorg deeper than the cache is handled by
  // reloading from the first differing height.
  absl::StatusOr<std::optional<TipChange>> Refresh(pqxx::connection_base& connection);

  // -1 while empty.
  int32_t tip_height() const;
  std::optional<CachedHeader> Tip() const;
  std::optional<CachedHeader> At(int32_t height) const;
  // Up to `count` headers from `start` (fewer at the tip).
  std::vector<CachedHeader> Range(int32_t start, int32_t count) const;
  // Branch proving `height` under the root of the header hashes
  // 0..checkpoint (spec §4.5); the checkpoint's tree is kept for the next
  // proof. OutOfRange unless height <= checkpoint <= tip.
  absl::StatusOr<chain::MerkleBranch> CheckpointProof(int32_t height, int32_t checkpoint) const;

 private:
  mutable std::shared_mutex mutex_;
  std::vector<chain::BlockHash> hashes_;
  std::vector<RawHeader> raws_;
  // Only heights that have PoW data (none for most coins).
  absl::flat_hash_map<int32_t, std::string> pow_data_;
  mutable chain::CheckpointTrees trees_;

  CachedHeader Make(int32_t height) const;
  // With the lock held: the highest height at or below `height` where the
  // cache and the index hold the same block (-1 when none).
  int32_t LastAgreedHeight(pqxx::transaction_base& session, int32_t height) const;
  void ForgetFrom(int32_t height);
  // Appends the index's headers up to `tip_height`.
  absl::Status LoadThrough(pqxx::transaction_base& session, int32_t tip_height);
};

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_HEADER_CACHE_H_
