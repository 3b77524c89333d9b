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

MerkleTree::MerkleTree(std::vector<MerkleHash> leaves) {
  if (leaves.empty()) return;
  levels_.push_back(std::move(leaves));
  while (levels_.back().size() > 1) {
    std::vector<MerkleHash> next = levels_.back();
    Reduce(next);
    levels_.push_back(std::move(next));
  }
}

absl::StatusOr<MerkleBranch> MerkleTree::Branch(size_t index) const {
  if (index >= leaf_count()) {
    return absl::OutOfRangeError(
        absl::StrCat("leaf index ", index, " out of range for ", leaf_count(), " leaves"));
  }
  MerkleBranch branch;
  for (size_t level = 0; level + 1 < levels_.size(); ++level) {
    const std::vector<MerkleHash>& nodes = levels_[level];
    const size_t sibling = index ^ 1;
    // An odd last node pairs with itself.
    branch.siblings.push_back(sibling < nodes.size() ? nodes[sibling] : nodes[index]);
    index >>= 1;
  }
  branch.root = levels_.back()[0];
  return branch;
}

size_t MerkleTree::memory() const {
  size_t bytes = 0;
  for (const auto& level : levels_) bytes += level.size() * sizeof(MerkleHash);
  return bytes;
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
