// Bitcoin merkle trees (odd levels duplicate their last node), branches and
// verification, as used for block merkle roots, Electrum's
// blockchain.transaction.get_merkle and header checkpoint proofs.
#ifndef ELECTRUM_COMMON_CHAIN_MERKLE_H_
#define ELECTRUM_COMMON_CHAIN_MERKLE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/hash_types.h"

namespace electrum::chain {

// The root of `leaves`; the zero hash for no leaves.
MerkleHash MerkleRoot(std::vector<MerkleHash> leaves);

struct MerkleBranch {
  // Siblings from the leaf level upwards.
  std::vector<MerkleHash> siblings;
  MerkleHash root;
};

// Branch of the leaf at `index`. OutOfRange when index >= leaves.size().
absl::StatusOr<MerkleBranch> ComputeMerkleBranch(std::vector<MerkleHash> leaves, size_t index);

// Every level of a tree, kept so that branches of many leaves (header
// checkpoint proofs against one checkpoint) cost O(log n) after one build.
class MerkleTree {
 public:
  explicit MerkleTree(std::vector<MerkleHash> leaves);
  size_t leaf_count() const { return levels_.empty() ? 0 : levels_[0].size(); }
  // The same as ComputeMerkleBranch(leaves, index).
  absl::StatusOr<MerkleBranch> Branch(size_t index) const;
  // Bytes held (for cache accounting).
  size_t memory() const;

 private:
  // levels_[0] are the leaves; each later level is half (rounded up) the
  // one before; the last holds the root.
  std::vector<std::vector<MerkleHash>> levels_;
};

// The root implied by a leaf, its index and its branch.
MerkleHash RootFromBranch(const MerkleHash& leaf, const std::vector<MerkleHash>& siblings,
                          size_t index);

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_MERKLE_H_
