// The bulk initial sync's database side. While far behind the node the index
// is loaded in large append-only batches:
//   BeginBulkLoad   drops the primary key and secondary indexes of utxos
//                   (their definitions are kept in bulk_dropped_indexes, so
//                   an interrupted load can finish);
//   WriteBulkBatch  appends a batch with binary COPY in one transaction that
//                   also moves the tip (crash-safe like IndexBlocks);
//   FinishBulkLoad  resolves bulk_spilled_spends (spilled_spends.h), applies
//                   bulk_outputs and bulk_spends to utxos (and to
//                   spent_undo for the undo window), rebuilds every dropped
//                   index, packs bulk_history and then bulk_txids (into
//                   txid_ranges), in one transaction.
// Readers must not serve from an index in bulk load (BulkLoadActive).
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_BULK_LOAD_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_BULK_LOAD_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "storage/chain_index/bulk_batch.h"
#include "storage/chain_index/unspent_outputs.h"

namespace pqxx {
class connection_base;
class transaction_base;
}  // namespace pqxx

namespace electrum::storage {

absl::StatusOr<bool> BulkLoadActive(pqxx::connection_base& connection);
// The same inside the caller's session.
bool BulkLoadInProgress(pqxx::transaction_base& session);

// Idempotent: does nothing when a bulk load is already active.
absl::Status BeginBulkLoad(pqxx::connection_base& connection);

// The tx_num after the tip, where the next batch starts.
absl::StatusOr<int64_t> ReadNextTxNum(pqxx::connection_base& connection);

// Fills `unspent` (capacity `capacity`) with the outputs unspent at the
// tip, newest first (used to resume an interrupted bulk load). When they do
// not all fit, the rest count as evicted: their spends spill.
absl::Status LoadUnspentOutputs(pqxx::connection_base& connection, size_t capacity,
                                UnspentOutputs& unspent);

// ABORTED when the batch does not extend the tip (nothing written).
absl::Status WriteBulkBatch(pqxx::connection_base& connection, BulkBatch& batch);

struct FinishTimings {
  double merge_seconds = 0;
  // Spends resolved in PostgreSQL because memory had evicted their outputs,
  // and the part of merge_seconds that took.
  int64_t spilled_spends = 0;
  double spilled_seconds = 0;
  double index_seconds = 0;
  double history_seconds = 0;
  size_t history_entries = 0;
  // Transactions packed into txid_ranges (the load's and those already
  // indexed), and how long it took.
  int64_t txids_packed = 0;
  double txids_seconds = 0;
};

// Idempotent: does nothing when no bulk load is active. `maintenance_work_mem`
// (a PostgreSQL size such as "512MB") sizes the index builds' sorts; the
// spends of the last `undo_depth` blocks are kept for reorgs; scripts with at
// least `history_keyed_from` entries are packed whole (history_pack_load.h).
absl::StatusOr<FinishTimings> FinishBulkLoad(pqxx::connection_base& connection,
                                             const std::string& maintenance_work_mem,
                                             int32_t undo_depth, size_t history_keyed_from = 512);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_BULK_LOAD_H_
