#include "services/blockchain/indexer/indexer.h"

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "storage/chain_index/block_writer.h"

namespace electrum::blockchain {

absl::StatusOr<int32_t> Indexer::FindForkHeight(int32_t from, int32_t node_height) {
  const int32_t lowest = std::max(0, from - options_.max_reorg_depth);
  for (int32_t height = std::min(from, node_height); height >= lowest; --height) {
    ASSIGN_OR_RETURN(std::optional<chain::BlockHash> indexed,
                     storage::ReadIndexedBlockHash(connection_, height));
    ASSIGN_OR_RETURN(chain::BlockHash on_node, node_.GetBlockHash(height));
    if (indexed && *indexed == on_node) return height;
  }
  return absl::FailedPreconditionError(absl::StrCat("reorg deeper than ", options_.max_reorg_depth,
                                                    " blocks below height ", from,
                                                    ": refusing to rewrite the index; raise "
                                                    "the limit or re-index"));
}

absl::StatusOr<SyncResult> Indexer::SyncOnce() {
  SyncResult result;
  ASSIGN_OR_RETURN(std::optional<storage::IndexTip> tip, storage::ReadIndexTip(connection_));
  ASSIGN_OR_RETURN(int32_t node_height, node_.GetBlockCount());
  int32_t next = 0;
  if (tip) {
    bool on_node_chain = false;
    if (tip->height <= node_height) {
      ASSIGN_OR_RETURN(chain::BlockHash on_node, node_.GetBlockHash(tip->height));
      on_node_chain = on_node == tip->hash;
    }
    if (!on_node_chain) {
      ASSIGN_OR_RETURN(int32_t fork, FindForkHeight(tip->height, node_height));
      RETURN_IF_ERROR(storage::RollbackTo(connection_, fork));
      result.blocks_rolled_back = tip->height - fork;
      tip->height = fork;
    }
    next = tip->height + 1;
  }
  for (int32_t height = next; height <= node_height; ++height) {
    ASSIGN_OR_RETURN(chain::BlockHash hash, node_.GetBlockHash(height));
    ASSIGN_OR_RETURN(chain::Bytes raw, node_.GetBlock(hash));
    absl::StatusOr<chain::Block> block = chain::ParseBlock(raw, options_.block_format);
    if (!block.ok()) {
      return absl::DataLossError(absl::StrCat("node block ", height, " (", hash.ToDisplayHex(),
                                              ") does not parse: ", block.status().message()));
    }
    absl::Status indexed = storage::IndexBlock(connection_, {height, hash, &*block});
    // The node moved to another branch mid-pass: the next pass rolls back.
    if (indexed.code() == absl::StatusCode::kAborted) break;
    RETURN_IF_ERROR(indexed);
    ++result.blocks_indexed;
    result.transactions_indexed += static_cast<int64_t>(block->transactions.size());
    result.tip_height = height;
  }
  if (result.tip_height < 0) result.tip_height = next - 1;
  return result;
}

}  // namespace electrum::blockchain
