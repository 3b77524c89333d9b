#include "storage/chain_index/testing/generated_chain.h"

#include "common/chain/coins.h"

namespace electrum::storage {

absl::StatusOr<std::unique_ptr<simnode::Node>> GenerateChain(
    const simnode::WorkloadOptions& workload) {
  auto node = simnode::Node::Open({.mock_time = 1700000000}, nullptr);
  if (!node.ok()) return node.status();
  simnode::WorkloadGenerator generator(workload);
  absl::Status mined = generator.Run(**node);
  if (!mined.ok()) return mined;
  return std::move(*node);
}

absl::StatusOr<PreparedBlock> PrepareNodeBlock(const simnode::Node& node, int height) {
  const simnode::BlockEntry* entry = node.chain().AtHeight(height);
  if (entry == nullptr) return absl::OutOfRangeError("no block at that height");
  return PrepareBlock(height, entry->hash, entry->raw, chain::BitcoinRegtest().block_format);
}

}  // namespace electrum::storage
