// The header merkle trees of the last few checkpoints asked for (spec
// §4.5), so that proofs under a checkpoint cost O(log n) after its first
// one instead of hashing the chain up to it every time. Shared by the
// blockchain service's header cache and the gateway's header copy.
#ifndef ELECTRUM_COMMON_CHAIN_CHECKPOINT_TREES_H_
#define ELECTRUM_COMMON_CHAIN_CHECKPOINT_TREES_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "common/chain/hash_types.h"
#include "common/chain/merkle.h"

namespace electrum::chain {

// The leaves of checkpoint `last`: the header hashes 0..last of `hashes`
// (one per height); nullopt when the chain does not reach `last`.
std::optional<std::vector<MerkleHash>> HeaderLeavesThrough(const std::vector<BlockHash>& hashes,
                                                           int32_t last);

class CheckpointTrees {
 public:
  // The header hashes 0..checkpoint as leaves, or nullopt when the chain
  // does not reach the checkpoint.
  using Leaves = std::function<std::optional<std::vector<MerkleHash>>(int32_t checkpoint)>;

  explicit CheckpointTrees(size_t kept = 4) : kept_(kept) {}

  // The tree of `checkpoint`: kept, or built from `leaves` (and kept unless
  // a reorg happened meanwhile). Null when the chain is shorter.
  std::shared_ptr<const MerkleTree> Get(int32_t checkpoint, const Leaves& leaves);

  // Heights >= `height` were replaced: trees covering them are dropped.
  void ForgetFrom(int32_t height);

 private:
  const size_t kept_;
  std::mutex mutex_;
  // Bumped by ForgetFrom, so a tree built across a reorg is not kept.
  uint64_t generation_ = 0;
  // Most recently used last.
  std::vector<std::pair<int32_t, std::shared_ptr<const MerkleTree>>> trees_;
};

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_CHECKPOINT_TREES_H_
