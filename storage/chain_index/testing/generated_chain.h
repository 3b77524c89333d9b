// Chains for index tests: a simnode Node (in memory, no server) mined with
// the workload generator, and its blocks prepared as the bulk loader takes
// them.
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_TESTING_GENERATED_CHAIN_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_TESTING_GENERATED_CHAIN_H_

#include <memory>

#include "absl/status/statusor.h"
#include "storage/chain_index/prepared_block.h"
#include "tools/simnode/node.h"
#include "tools/simnode/workload.h"

namespace electrum::storage {

absl::StatusOr<std::unique_ptr<simnode::Node>> GenerateChain(
    const simnode::WorkloadOptions& workload);

// The active chain's block at `height`, prepared (Bitcoin regtest format).
absl::StatusOr<PreparedBlock> PrepareNodeBlock(const simnode::Node& node, int height);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_TESTING_GENERATED_CHAIN_H_
