// Writes the chain index (blocks, their txids, unspent outputs, history, tip)
// one block at a time, and rolls it back to a fork point. Each call is one
// PostgreSQL transaction: a block is indexed completely or not at all, and
// the tip row moves with it. After commit it NOTIFYs electrum_block with
// "<height>:<hash display hex>".
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_BLOCK_WRITER_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_BLOCK_WRITER_H_

#include <cstdint>
#include <optional>
#include <span>

#include "absl/status/statusor.h"
#include "common/chain/block.h"
#include "common/chain/hash_types.h"
#include "storage/chain_index/chain_reads.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::storage {

using IndexTip = StoredBlockHash;

// The block the index has reached; nullopt for an empty index.
absl::StatusOr<std::optional<IndexTip>> ReadIndexTip(pqxx::connection_base& connection);

// The hash of the indexed block at `height`; nullopt above the tip.
absl::StatusOr<std::optional<chain::BlockHash>> ReadIndexedBlockHash(
    pqxx::connection_base& connection, int32_t height);

struct BlockToIndex {
  int32_t height = 0;
  // The node's identity hash (X11 for Dash: never recomputed here).
  chain::BlockHash hash;
  const chain::Block* block = nullptr;
};

// Appends a block on top of the tip. ABORTED when it does not extend the tip
// (wrong height or previous hash: the node moved on; roll back and retry).
// DATA_LOSS when an input spends an output the index does not have.
absl::Status IndexBlock(pqxx::connection_base& connection, const BlockToIndex& block);

struct IndexOptions {
  // synchronous_commit off for this transaction: for initial sync, where a
  // crash costing the last few batches only means re-fetching them.
  bool relaxed_commit = false;
  // The coin's transaction format: name-index coins key name outputs by
  // owner and by name.
  chain::TxFormat tx_format;
  // Spends of the last `undo_depth` blocks are kept to undo a reorg
  // (--max_reorg_depth); older ones are dropped.
  int32_t undo_depth = 200;
};

// Appends consecutive blocks in one transaction (initial sync: far fewer
// statements and commits per block). All or nothing, like IndexBlock.
absl::Status IndexBlocks(pqxx::connection_base& connection, std::span<const BlockToIndex> blocks,
                         const IndexOptions& options);

// Removes every block above `fork_height` and un-spends what they spent.
// FAILED_PRECONDITION when their spends are older than the undo window.
absl::Status RollbackTo(pqxx::connection_base& connection, int32_t fork_height);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_BLOCK_WRITER_H_
