// The gateway's copy of the chain's headers, so header requests (the most
// frequent wallet call) are answered without leaving the process. Filled and
// kept current by a HeaderFollower; read concurrently by every session.
#ifndef ELECTRUM_GATEWAY_CHAIN_HEADER_STORE_H_
#define ELECTRUM_GATEWAY_CHAIN_HEADER_STORE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/checkpoint_trees.h"
#include "common/chain/hash_types.h"
#include "common/chain/merkle.h"

namespace electrum::gateway {

struct StoredHeader {
  int32_t height = 0;
  chain::BlockHash hash;
  // Serialized header bytes (80 for Bitcoin, longer with AuxPoW).
  std::string raw;

  // `raw` as hex, as the protocol sends headers.
  std::string Hex() const;
};

class HeaderStore {
 public:
  // -1 while empty.
  int32_t tip_height() const;
  std::optional<StoredHeader> Tip() const;
  std::optional<StoredHeader> At(int32_t height) const;
  // Hex of the header at `height`, nullopt above the tip.
  std::optional<std::string> HexAt(int32_t height) const;
  // Up to `count` headers from `start` (fewer at the tip, none above it).
  std::vector<StoredHeader> Range(int32_t start, int32_t count) const;
  // Branch proving `height` under the root of heights 0..checkpoint
  // (spec §4.5). OutOfRange unless height <= checkpoint <= tip. The tree of
  // a checkpoint is built once and kept (the last few checkpoints asked
  // for), so proofs cost O(log n) rather than hashing the whole chain.

  absl::StatusOr<chain::MerkleBranch> CheckpointProof(int32_t height, int32_t checkpoint) const;

  // Writer side (one follower thread). Headers must continue the chain:
  // the first one's height is tip + 1. Returns false (and stores nothing)
  // otherwise.
  bool Append(const std::vector<StoredHeader>& headers);
  // Forgets heights >= `height` (a reorg replaced them).
  void TruncateFrom(int32_t height);

 private:
  std::shared_ptr<const chain::MerkleTree> TreeThrough(int32_t checkpoint) const;

  mutable std::shared_mutex mutex_;
  std::vector<chain::BlockHash> hashes_;
  std::vector<std::string> raws_;

  mutable chain::CheckpointTrees trees_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_CHAIN_HEADER_STORE_H_
