// The ingest loop of the blockchain service: brings the PostgreSQL index to
// the node's best chain, following reorgs down to a configurable depth.
// Far behind, it bulk-loads (bulk_sync.h) and then rebuilds the indexes;
// near the tip it writes block by block. (Runs in the replica holding the
// `ingest` lock.)
#ifndef ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INDEXER_H_
#define ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INDEXER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/chain/block.h"
#include "services/blockchain/indexer/bulk_sync.h"
#include "services/node/bitcoind_client.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::blockchain {

struct IndexerOptions {
  chain::BlockFormat block_format;
  // Deeper reorgs stop ingest with an error instead of rewriting history.
  int32_t max_reorg_depth = 200;
  // More than this many blocks behind, blocks are written in batches (one
  // transaction, relaxed commit) of up to these sizes; near the tip, one by
  // one with durable commits.
  int32_t batch_when_behind = 10;
  int32_t max_batch_blocks = 1;
  int64_t max_batch_transactions = 20000;
  // Bulk load when at least this many blocks behind and more blocks remain
  // than are indexed (so a long-synced index is never rebuilt for a short
  // catch-up). 0 disables bulk loading.
  int32_t bulk_min_blocks = 100;
  // PostgreSQL memory for rebuilding the indexes after a bulk load.
  std::string bulk_index_memory = "512MB";
  // Scripts with at least this many entries in a bulk load are packed with
  // their txids (storage/chain_index/history_pack_load.h).
  size_t history_keyed_from = 512;
  // Pipeline settings (block_format and stop are filled in by the indexer).
  BulkSyncOptions bulk;
  // Set from outside to stop a long pass between batches.
  const std::atomic<bool>* stop = nullptr;
};

struct SyncResult {
  int32_t blocks_indexed = 0;
  int64_t transactions_indexed = 0;
  // Blocks removed by a reorg in this pass (0 when there was none).
  int32_t blocks_rolled_back = 0;
  int32_t tip_height = -1;
  int32_t node_height = -1;
  // Where the time went: node RPC and parsing, then PostgreSQL.
  double fetch_seconds = 0;
  double write_seconds = 0;
  // Set when this pass bulk-loaded.
  std::optional<BulkSyncStats> bulk;
  // Merging the staging tables and rebuilding indexes after a bulk load.
  double bulk_merge_seconds = 0;
  double bulk_index_seconds = 0;
  double bulk_history_seconds = 0;
};

class Indexer {
 public:
  Indexer(const node::BitcoindOptions& node, pqxx::connection_base& connection,
          IndexerOptions options);

  // One pass: detects a reorg (rolls back to the fork), then indexes every
  // block up to the node's tip. UNAVAILABLE when the node or database is
  // down (retry later); FAILED_PRECONDITION for a reorg deeper than the limit.
  absl::StatusOr<SyncResult> SyncOnce();

 private:
  // The highest height where the index and the node agree, at most `from`.
  absl::StatusOr<int32_t> FindForkHeight(int32_t from, int32_t node_height);
  bool ShouldBulkLoad(int32_t next_height, int32_t node_height, bool active) const;
  // Bulk-loads up to the node's height, then merges and rebuilds indexes.
  absl::Status BulkLoad(int32_t node_height, SyncResult& result);
  absl::Status FinishBulkLoad(SyncResult& result);

  node::BitcoindOptions node_options_;
  node::BitcoindClient node_;
  pqxx::connection_base& connection_;
  IndexerOptions options_;
};

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INDEXER_H_
