#include "common/chain/merkle.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/crypto/sha256.h"

namespace electrum::chain {
namespace {

MerkleHash HashPair(const MerkleHash& left, const MerkleHash& right) {
  uint8_t joined[64];
  std::memcpy(joined, left.internal().data(), 32);
  std::memcpy(joined + 32, right.internal().data(), 32);
  return MerkleHash(Sha256d(joined));
}

// Replaces `level` by the next level up, in place.
void Reduce(std::vector<MerkleHash>& level) {
  if (level.size() % 2 == 1) level.push_back(level.back());
  for (size_t i = 0; i < level.size() / 2; ++i) {
    level[i] = HashPair(level[2 * i], level[2 * i + 1]);
  }
  level.resize(level.size() / 2);
}

}  // namespace

MerkleHash MerkleRoot(std::vector<MerkleHash> leaves) {
  if (leaves.empty()) return MerkleHash();
  while (leaves.size() > 1) Reduce(leaves);
  return leaves[0];
}

absl::StatusOr<MerkleBranch> ComputeMerkleBranch(std::vector<MerkleHash> leaves, size_t index) {
  if (index >= leaves.size()) {
    return absl::OutOfRangeError(
        absl::StrCat("leaf index ", index, " out of range for ", leaves.size(), " leaves"));
  }
  MerkleBranch branch;
  while (leaves.size() > 1) {
    if (leaves.size() % 2 == 1) leaves.push_back(leaves.back());
    branch.siblings.push_back(leaves[index ^ 1]);
    index >>= 1;
    Reduce(leaves);
  }
  branch.root = leaves[0];
  return branch;
}

MerkleHash RootFromBranch(const MerkleHash& leaf, const std::vector<MerkleHash>& siblings,
                          size_t index) {
  MerkleHash node = leaf;
  for (const MerkleHash& sibling : siblings) {
    node = (index & 1) ? HashPair(sibling, node) : HashPair(node, sibling);
    index >>= 1;
  }
  return node;
}

}  // namespace electrum::chain
