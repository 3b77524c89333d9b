#include "common/chain/checkpoint_trees.h"

#include <algorithm>

namespace electrum::chain {

std::optional<std::vector<MerkleHash>> HeaderLeavesThrough(const std::vector<BlockHash>& hashes,
                                                           int32_t last) {
  if (last < 0 || static_cast<size_t>(last) >= hashes.size()) return std::nullopt;
  std::vector<MerkleHash> leaves;
  leaves.reserve(static_cast<size_t>(last) + 1);
  for (int32_t i = 0; i <= last; ++i) leaves.emplace_back(hashes[i].internal());
  return leaves;
}

std::shared_ptr<const MerkleTree> CheckpointTrees::Get(int32_t checkpoint, const Leaves& leaves) {
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = trees_.begin(); it != trees_.end(); ++it) {
      if (it->first != checkpoint) continue;
      auto kept = *it;
      trees_.erase(it);
      trees_.push_back(kept);
      return kept.second;
    }
    generation = generation_;
  }
  // Built outside the lock: hashing a long chain takes a while.
  std::optional<std::vector<MerkleHash>> hashes = leaves(checkpoint);
  if (!hashes) return nullptr;
  auto tree = std::make_shared<const MerkleTree>(std::move(*hashes));
  std::lock_guard<std::mutex> lock(mutex_);
  if (generation == generation_) {
    trees_.emplace_back(checkpoint, tree);
    if (trees_.size() > kept_) trees_.erase(trees_.begin());
  }
  return tree;
}

void CheckpointTrees::ForgetFrom(int32_t height) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++generation_;
  std::erase_if(trees_, [height](const auto& kept) { return kept.first >= height; });
}

}  // namespace electrum::chain
