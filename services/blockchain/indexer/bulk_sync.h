// The pipelined initial sync, used while the index is far behind the node:
//
//   fetch workers (N threads, one node connection each): getblockhash +
//     getblock, parse, script hashes; in any order, within a window ahead
//     of the builder
//   builder (1 thread): chain order; resolves spends against the in-memory
//     unspent outputs (the newest --bulk_max_unspent_outputs; spends of older
//     ones spill) and encodes binary COPY rows, many blocks per batch
//   writer (the calling thread): one transaction per batch (storage/
//     chain_index/bulk_load.h), the tip moving with it
//
// Stages overlap, so the slowest one sets the pace; the stats say which.
#ifndef ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_BULK_SYNC_H_
#define ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_BULK_SYNC_H_

#include <atomic>
#include <chrono>
#include <cstdint>

#include "absl/status/statusor.h"
#include "common/chain/block.h"
#include "services/node/bitcoind_client.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::blockchain {

struct BulkSyncOptions {
  chain::BlockFormat block_format;
  int fetch_threads = 2;
  // Most blocks fetched ahead of the builder (bounds memory).
  int fetch_window_blocks = 64;
  // A batch is written once it holds this many transactions.
  int64_t batch_transactions = 50000;
  // Most unspent outputs held in memory (80 bytes each in hash tables kept
  // between 44% and 88% full). Spends of older outputs spill to PostgreSQL
  // and are resolved when the load finishes (storage/chain_index/
  // spilled_spends.h), so the load keeps going at the same pace.
  size_t max_unspent_outputs = 20'000'000;
  // The reorg depth whose spends the finish keeps as undo rows; blocks well
  // below it cancel outputs created and spent within a batch.
  int32_t undo_depth = 200;
  // Progress is logged at this cadence.
  std::chrono::milliseconds progress_interval{5000};
  // Set from outside to stop after the batch being written.
  const std::atomic<bool>* stop = nullptr;
};

struct BulkSyncStats {
  int32_t first_height = -1;
  int32_t tip_height = -1;
  int32_t blocks = 0;
  int64_t transactions = 0;
  int64_t rows = 0;
  double wall_seconds = 0;
  // Busy time per stage (fetch summed over its workers) and the time the
  // builder waited for blocks and for the writer.
  double fetch_seconds = 0;
  double build_seconds = 0;
  double write_seconds = 0;
  double builder_starved_seconds = 0;
  double builder_blocked_seconds = 0;
  // Spends whose outputs had been evicted from memory.
  int64_t spilled_spends = 0;
  // Outputs created and spent within one batch, never written.
  int64_t canceled_outputs = 0;
  // Ended before the target height because a stop was requested.
  bool stopped_on_request = false;
};

// Bulk-loads blocks after the index tip up to `target_height`. The caller
// has called BeginBulkLoad; FinishBulkLoad is left to it. ABORTED when the
// node's chain no longer extends the tip (a reorg: retry through the
// block-by-block path), UNAVAILABLE when the node or database is down.
absl::StatusOr<BulkSyncStats> RunBulkSync(const node::BitcoindOptions& node,
                                          pqxx::connection_base& connection, int32_t target_height,
                                          const BulkSyncOptions& options);

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_BULK_SYNC_H_
