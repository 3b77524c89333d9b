#include "services/blockchain/indexer/indexer.h"

#include <chrono>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "spdlog/spdlog.h"
#include "storage/chain_index/block_writer.h"
#include "storage/chain_index/bulk_load.h"

namespace electrum::blockchain {

Indexer::Indexer(const node::BitcoindOptions& node, pqxx::connection_base& connection,
                 IndexerOptions options)
    : node_options_(node), node_(node), connection_(connection), options_(std::move(options)) {
  options_.bulk.block_format = options_.block_format;
  options_.bulk.stop = options_.stop;
  options_.bulk.undo_depth = options_.max_reorg_depth;
}

bool Indexer::ShouldBulkLoad(int32_t next_height, int32_t node_height, bool active) const {
  if (options_.bulk_min_blocks <= 0) return false;
  const int32_t behind = node_height - next_height + 1;
  if (behind < options_.bulk_min_blocks) return false;
  // An interrupted load continues; a new one only when most work is ahead.
  return active || behind > next_height;
}

absl::Status Indexer::FinishBulkLoad(SyncResult& result) {
  spdlog::info("bulk load: merging staged outputs and rebuilding indexes");
  ASSIGN_OR_RETURN(storage::FinishTimings timings,
                   storage::FinishBulkLoad(connection_, options_.bulk_index_memory,
                                           options_.max_reorg_depth, options_.history_keyed_from));
  result.bulk_merge_seconds += timings.merge_seconds;
  result.bulk_index_seconds += timings.index_seconds;
  result.bulk_history_seconds += timings.history_seconds;
  spdlog::info(
      "bulk load finished: merge {:.1f} s ({} spilled spends resolved in {:.1f} s), indexes "
      "{:.1f} s, history {:.1f} s ({} entries), ({} txids packed in {:.1f} s)",
      timings.merge_seconds, timings.spilled_spends, timings.spilled_seconds, timings.index_seconds,
      timings.history_seconds, timings.history_entries, timings.txids_packed,
      timings.txids_seconds);
  return absl::OkStatus();
}

absl::Status Indexer::BulkLoad(int32_t node_height, SyncResult& result) {
  RETURN_IF_ERROR(storage::BeginBulkLoad(connection_));
  absl::StatusOr<BulkSyncStats> ran =
      RunBulkSync(node_options_, connection_, node_height, options_.bulk);
  RETURN_IF_ERROR(ran.status());
  const BulkSyncStats& stats = *ran;
  result.blocks_indexed += stats.blocks;
  result.transactions_indexed += stats.transactions;
  result.tip_height = stats.tip_height;
  result.fetch_seconds += stats.fetch_seconds;
  result.write_seconds += stats.write_seconds;
  result.bulk = stats;
  if (stats.stopped_on_request) return absl::OkStatus();  // resumes on restart
  return FinishBulkLoad(result);
}

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
  result.node_height = node_height;
  int32_t next = 0;
  if (tip) {
    bool on_node_chain = false;
    if (tip->height <= node_height) {
      ASSIGN_OR_RETURN(chain::BlockHash on_node, node_.GetBlockHash(tip->height));
      on_node_chain = on_node == tip->hash;
    }
    if (!on_node_chain) {
      ASSIGN_OR_RETURN(int32_t fork, FindForkHeight(tip->height, node_height));
      // Rolling back works during a bulk load too; the next bulk pass
      // reloads the unspent outputs from the database.
      RETURN_IF_ERROR(storage::RollbackTo(connection_, fork));
      result.blocks_rolled_back = tip->height - fork;
      tip->height = fork;
    }
    next = tip->height + 1;
  }
  ASSIGN_OR_RETURN(bool bulk_active, storage::BulkLoadActive(connection_));
  if (ShouldBulkLoad(next, node_height, bulk_active)) {
    absl::Status loaded = BulkLoad(node_height, result);
    // The node's chain moved under the load: the next pass rolls back.
    if (loaded.code() == absl::StatusCode::kAborted) return result;
    RETURN_IF_ERROR(loaded);
    if (result.bulk) {
      if (result.bulk->stopped_on_request) return result;
      next = result.bulk->tip_height + 1;
    }
  } else if (bulk_active) {
    // Near the tip now: block-by-block writing needs the indexes back.
    RETURN_IF_ERROR(FinishBulkLoad(result));
  }
  int32_t height = next;
  while (height <= node_height && !(options_.stop != nullptr && options_.stop->load())) {
    // A batch while far behind, single blocks near the tip.
    const bool far_behind = node_height - height >= options_.batch_when_behind;
    const int32_t batch_end =
        far_behind ? std::min(node_height, height + options_.max_batch_blocks - 1) : height;
    std::vector<chain::Bytes> raws;
    std::vector<chain::Block> blocks;
    std::vector<chain::BlockHash> hashes;
    int64_t transactions = 0;
    const auto fetch_started = std::chrono::steady_clock::now();
    raws.reserve(batch_end - height + 1);
    blocks.reserve(batch_end - height + 1);
    for (int32_t h = height; h <= batch_end; ++h) {
      ASSIGN_OR_RETURN(chain::BlockHash hash, node_.GetBlockHash(h));
      ASSIGN_OR_RETURN(chain::Bytes raw, node_.GetBlock(hash));
      raws.push_back(std::move(raw));
      absl::StatusOr<chain::Block> block = chain::ParseBlock(raws.back(), options_.block_format);
      if (!block.ok()) {
        return absl::DataLossError(absl::StrCat("node block ", h, " (", hash.ToDisplayHex(),
                                                ") does not parse: ", block.status().message()));
      }
      transactions += static_cast<int64_t>(block->transactions.size());
      blocks.push_back(std::move(*block));
      hashes.push_back(hash);
      if (transactions >= options_.max_batch_transactions) break;
    }
    const auto write_started = std::chrono::steady_clock::now();
    result.fetch_seconds += std::chrono::duration<double>(write_started - fetch_started).count();
    std::vector<storage::BlockToIndex> batch;
    for (size_t i = 0; i < blocks.size(); ++i) {
      batch.push_back({height + static_cast<int32_t>(i), hashes[i], &blocks[i]});
    }
    absl::Status indexed = storage::IndexBlocks(connection_, batch,
                                                {.relaxed_commit = far_behind,
                                                 .tx_format = options_.block_format.tx,
                                                 .undo_depth = options_.max_reorg_depth});
    result.write_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - write_started).count();
    // The node moved to another branch mid-pass: the next pass rolls back.
    if (indexed.code() == absl::StatusCode::kAborted ||
        indexed.code() == absl::StatusCode::kInvalidArgument) {
      break;
    }
    RETURN_IF_ERROR(indexed);
    result.blocks_indexed += static_cast<int32_t>(batch.size());
    result.transactions_indexed += transactions;
    height += static_cast<int32_t>(batch.size());
    result.tip_height = height - 1;
  }
  if (result.tip_height < next - 1) result.tip_height = next - 1;
  return result;
}

}  // namespace electrum::blockchain
