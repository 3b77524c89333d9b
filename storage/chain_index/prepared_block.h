// A block fetched from the node and made ready for the bulk writer: parsed,
// with the script hash of every output computed. Preparation is the
// parallel part of the initial-sync pipeline; everything after it runs in
// chain order.
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_PREPARED_BLOCK_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_PREPARED_BLOCK_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/block.h"
#include "common/chain/hash_types.h"

namespace electrum::storage {

struct PreparedBlock {
  int32_t height = 0;
  // The node's identity hash (X11 for Dash: never recomputed here).
  chain::BlockHash hash;
  // `block` views these bytes; moving the vector keeps them in place.
  chain::Bytes raw;
  chain::Block block;
  // Every output's (owner) script hash, transaction by transaction.
  std::vector<chain::ScriptHash> output_scripthashes;
  // Name-index coins: (transaction index, name script hash) of every output
  // that registers or updates a name; history entries only.
  std::vector<std::pair<size_t, chain::ScriptHash>> name_scripthashes;
};

// DATA_LOSS when the node's bytes do not parse as a block of this format.
absl::StatusOr<PreparedBlock> PrepareBlock(int32_t height, const chain::BlockHash& hash,
                                           chain::Bytes raw, const chain::BlockFormat& format);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_PREPARED_BLOCK_H_
