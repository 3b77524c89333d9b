#include "storage/chain_index/bulk_load.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "storage/chain_index/chain_reads.h"
#include "storage/chain_index/history_pack_load.h"
#include "storage/chain_index/spilled_spends.h"
#include "storage/chain_index/tip_row.h"
#include "storage/chain_index/undo_window.h"
#include "storage/pg/binary_query.h"
#include "storage/pg/copy_in.h"
#include "storage/pg/pg_status.h"

namespace electrum::storage {
namespace {

// The tables bulk batches append to (besides the staging tables); their
// indexes slow appends the most.
constexpr const char* kBulkTables = "'utxos'";

// Entries per txid_ranges row: 1,408 bytes, under the size at which
// PostgreSQL moves a value out of line.
constexpr int kTxidRowEntries = 128;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Applies the staged spends and outputs to utxos, keeping the spends of the
// undo window in spent_undo. Hash joins over the staging tables: PostgreSQL
// spills them to disk when they outgrow work_mem.
void MergeStagedOutputs(pqxx::work& transaction, int64_t window_first_tx_num) {
  const std::string window_tx_num = std::to_string(window_first_tx_num);
  // Outputs that were unspent before the load and are spent by it.
  transaction.exec(
      "WITH gone AS (DELETE FROM utxos u USING bulk_spends s "
      "              WHERE u.tx_num = s.tx_num AND u.vout = s.vout "
      "              RETURNING u.*, s.spent_tx_num) "
      "INSERT INTO spent_undo (spent_tx_num, tx_num, value, height, vout, txid, scripthash) "
      "SELECT spent_tx_num, tx_num, value, height, vout, txid, scripthash FROM gone "
      "WHERE spent_tx_num >= " +
      window_tx_num);
  // Staged outputs: the unspent ones become utxos, the recently spent ones
  // undo rows. No ORDER BY: the joins read bulk_outputs in its (tx_num)
  // order anyway, and a sort of every output would double the merge.
  transaction.exec(
      "WITH staged AS (SELECT o.tx_num, o.value, t.height, o.vout, t.txid, o.scripthash, "
      "                       s.spent_tx_num "
      "                FROM bulk_outputs o JOIN bulk_txids t USING (tx_num) "
      "                LEFT JOIN bulk_spends s ON s.tx_num = o.tx_num AND s.vout = o.vout), "
      "undo AS (INSERT INTO spent_undo (spent_tx_num, tx_num, value, height, vout, txid, "
      "                                 scripthash) "
      "         SELECT spent_tx_num, tx_num, value, height, vout, txid, scripthash FROM staged "
      "         WHERE spent_tx_num >= " +
      window_tx_num +
      ") "
      "INSERT INTO utxos (tx_num, value, height, vout, txid, scripthash) "
      "SELECT tx_num, value, height, vout, txid, scripthash FROM staged "
      "WHERE spent_tx_num IS NULL");
  transaction.exec("TRUNCATE bulk_outputs, bulk_spends");
}

}  // namespace

bool BulkLoadInProgress(pqxx::transaction_base& session) {
  return session.exec1("SELECT EXISTS (SELECT 1 FROM bulk_dropped_indexes)")[0].as<bool>();
}

absl::StatusOr<bool> BulkLoadActive(pqxx::connection_base& connection) {
  return RunGuarded("checking for a bulk load", [&]() -> absl::StatusOr<bool> {
    pqxx::work transaction(connection);
    return BulkLoadInProgress(transaction);
  });
}

absl::Status BeginBulkLoad(pqxx::connection_base& connection) {
  return RunGuarded("starting a bulk load", [&]() -> absl::Status {
    pqxx::work transaction(connection);
    transaction.exec("LOCK TABLE bulk_dropped_indexes IN EXCLUSIVE MODE");
    if (BulkLoadInProgress(transaction)) return absl::OkStatus();
    // Constraints (the primary keys) first, so they are recreated first.
    transaction.exec(absl::StrCat(
        "INSERT INTO bulk_dropped_indexes (table_name, name, definition, position) "
        "SELECT c.conrelid::regclass::text, c.conname, "
        "       format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.conrelid::regclass::text, "
        "              c.conname, pg_get_constraintdef(c.oid)), 0 "
        "FROM pg_constraint c WHERE c.contype IN ('p', 'u') "
        "  AND c.conrelid::regclass::text IN (",
        kBulkTables, ")"));
    transaction.exec(absl::StrCat(
        "INSERT INTO bulk_dropped_indexes (table_name, name, definition, position) "
        "SELECT i.tablename, i.indexname, i.indexdef, 1 FROM pg_indexes i "
        "WHERE i.schemaname = current_schema() AND i.tablename IN (",
        kBulkTables,
        ") AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"));
    pqxx::result dropped = transaction.exec(
        "SELECT table_name, name, position FROM bulk_dropped_indexes ORDER BY position DESC");
    for (const auto& row : dropped) {
      const std::string table = transaction.quote_name(row[0].as<std::string>());
      const std::string name = transaction.quote_name(row[1].as<std::string>());
      transaction.exec(row[2].as<int>() == 0
                           ? absl::StrCat("ALTER TABLE ", table, " DROP CONSTRAINT ", name)
                           : absl::StrCat("DROP INDEX ", name));
    }
    if (dropped.empty()) {
      // Keeps "a row means active" true even for a schema without indexes.
      transaction.exec(
          "INSERT INTO bulk_dropped_indexes (table_name, name, definition, position) "
          "VALUES ('', 'bulk load marker', '', 2)");
    }
    transaction.commit();
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> ReadNextTxNum(pqxx::connection_base& connection) {
  return RunGuarded("reading the next tx_num", [&]() -> absl::StatusOr<int64_t> {
    pqxx::work transaction(connection);
    return NextTxNum(transaction);
  });
}

absl::Status LoadUnspentOutputs(pqxx::connection_base& connection, size_t capacity,
                                UnspentOutputs& unspent) {
  unspent.Clear();
  unspent.set_capacity(capacity);
  return RunGuarded("loading the unspent outputs", [&]() -> absl::Status {
    pqxx::work transaction(connection, "load unspent outputs");
    transaction.exec("SET LOCAL work_mem = '256MB'");
    // Outputs merged by an earlier bulk load or written block by block, then
    // the staging rows; minus what this bulk load has spent. Newest first:
    // they are the ones kept when not all fit, and of a duplicated txid the
    // latest outputs win.
    transaction.exec(
        "DECLARE unspent NO SCROLL CURSOR FOR "
        "SELECT o.txid, o.vout, o.tx_num, o.scripthash "
        "FROM (SELECT tx_num, vout, txid, scripthash FROM utxos "
        "      UNION ALL SELECT b.tx_num, b.vout, t.txid, b.scripthash "
        "                FROM bulk_outputs b JOIN bulk_txids t USING (tx_num)) o "
        "WHERE NOT EXISTS (SELECT 1 FROM bulk_spends s "
        "                  WHERE s.tx_num = o.tx_num AND s.vout = o.vout) "
        "ORDER BY o.tx_num DESC, o.vout DESC");
    constexpr int kFetchRows = 100000;
    const std::string fetch = absl::StrCat("FETCH ", kFetchRows, " FROM unspent");
    for (bool more = true; more;) {
      ASSIGN_OR_RETURN(BinaryRows rows, QueryBinaryUnprepared(transaction.conn(), fetch));
      for (int row = 0; row < rows.size() && more; ++row) {
        auto txid = chain::TxId::FromInternal(rows.Bytes(row, 0));
        auto scripthash = chain::ScriptHash::FromInternal(rows.Bytes(row, 3));
        if (!txid.ok() || !scripthash.ok()) {
          unspent.Clear();
          return absl::DataLossError("an output or transaction row holds a malformed hash");
        }
        more = unspent.AddOlder(OutPoint{*txid, static_cast<uint32_t>(rows.Int32(row, 1))},
                                UnspentOutput{rows.Int64(row, 2), *scripthash});
      }
      more = more && rows.size() == kFetchRows;
    }
    return absl::OkStatus();
  });
}

absl::Status WriteBulkBatch(pqxx::connection_base& connection, BulkBatch& batch) {
  if (batch.first_height < 0) return absl::OkStatus();
  const std::string what =
      absl::StrCat("bulk-loading blocks ", batch.first_height, "-", batch.last_height);
  return RunGuarded(what, [&]() -> absl::Status {
    pqxx::work transaction(connection);
    // Far behind the tip a crash may lose the last commits, never
    // consistency: the tip row moves with its rows, and ingest resumes.
    transaction.exec("SET LOCAL synchronous_commit = off");
    RETURN_IF_ERROR(LockTipForExtension(transaction, batch.first_height, batch.first_prev_hash,
                                        batch.last_hash));
    // The builder numbered the batch from the tip it was given; if the index
    // disagrees, writing it would corrupt every row: refuse.
    const int64_t next_tx_num = NextTxNum(transaction);
    if (batch.first_tx_num != next_tx_num) {
      return absl::FailedPreconditionError(absl::StrCat(
          "batch starts at tx_num ", batch.first_tx_num, " but the index is at ", next_tx_num));
    }
    RETURN_IF_ERROR(CopyBinaryInto(
        transaction, "blocks (height, hash, header, tx_count, first_tx_num, pow_data)",
        batch.blocks.Finish()));
    RETURN_IF_ERROR(CopyBinaryInto(transaction, "block_txids (first_tx_num, height, txids)",
                                   batch.block_txids.Finish()));
    RETURN_IF_ERROR(
        CopyBinaryInto(transaction, "bulk_txids (tx_num, txid, height)", batch.txs.Finish()));
    RETURN_IF_ERROR(CopyBinaryInto(transaction, "bulk_outputs (tx_num, vout, scripthash, value)",
                                   batch.outputs.Finish()));
    RETURN_IF_ERROR(
        CopyBinaryInto(transaction, "bulk_history (tx_num, scripthash)", batch.history.Finish()));
    RETURN_IF_ERROR(CopyBinaryInto(transaction, "bulk_spends (tx_num, vout, spent_tx_num)",
                                   batch.spends.Finish()));
    if (batch.spilled.rows() > 0) {
      RETURN_IF_ERROR(CopyBinaryInto(transaction, "bulk_spilled_spends (txid, vout, spent_tx_num)",
                                     batch.spilled.Finish()));
    }
    if (batch.last_canceled_height >= 0) {
      RaiseUndoFromHeight(transaction, batch.last_canceled_height + 1);
    }
    MoveTip(transaction, batch.last_height, batch.last_hash);
    transaction.commit();
    return absl::OkStatus();
  });
}

absl::StatusOr<FinishTimings> FinishBulkLoad(pqxx::connection_base& connection,
                                             const std::string& maintenance_work_mem,
                                             int32_t undo_depth, size_t history_keyed_from) {
  return RunGuarded("finishing the bulk load", [&]() -> absl::StatusOr<FinishTimings> {
    FinishTimings timings;
    pqxx::work transaction(connection);
    transaction.exec("LOCK TABLE bulk_dropped_indexes IN EXCLUSIVE MODE");
    if (!BulkLoadInProgress(transaction)) return timings;
    transaction.exec("SET LOCAL maintenance_work_mem = " + transaction.quote(maintenance_work_mem));
    transaction.exec("SET LOCAL work_mem = '256MB'");
    const std::optional<StoredBlockHash> tip = ReadTip(transaction);
    const int32_t tip_height = tip ? tip->height : 0;
    const int64_t window_first_tx_num = FirstTxNumAt(
        transaction,
        std::max(ReadUndoFromHeight(transaction), UndoWindowStart(tip_height, undo_depth)));
    const auto merge_started = std::chrono::steady_clock::now();
    ASSIGN_OR_RETURN(timings.spilled_spends, ResolveSpilledSpends(transaction));
    timings.spilled_seconds = SecondsSince(merge_started);
    MergeStagedOutputs(transaction, window_first_tx_num);
    ShrinkUndoWindow(transaction, tip_height, undo_depth);
    timings.merge_seconds = SecondsSince(merge_started);
    const auto index_started = std::chrono::steady_clock::now();
    pqxx::result dropped = transaction.exec(
        "SELECT definition FROM bulk_dropped_indexes WHERE definition <> '' ORDER BY position, "
        "table_name, name");
    for (const auto& row : dropped) transaction.exec(row[0].as<std::string>());
    timings.index_seconds = SecondsSince(index_started);
    const auto history_started = std::chrono::steady_clock::now();
    ASSIGN_OR_RETURN(HistoryPackCounts packed,
                     PackStagedHistory(transaction, {.keyed_from_entries = history_keyed_from}));
    timings.history_seconds = SecondsSince(history_started);
    timings.history_entries = packed.entries;
    // Last: outputs, spilled spends and history took txids from bulk_txids.
    const auto txids_started = std::chrono::steady_clock::now();
    timings.txids_packed =
        transaction.exec_params1("SELECT pack_txid_ranges($1)", kTxidRowEntries)[0].as<int64_t>();
    timings.txids_seconds = SecondsSince(txids_started);
    transaction.exec("DELETE FROM bulk_dropped_indexes");
    transaction.exec(
        "ANALYZE block_txids, txid_ranges, utxos, spent_undo, history_ranges, history_keys, "
        "blocks");
    // Readers learn that the packed history has appeared below the tip.
    if (tip) MoveTip(transaction, tip_height, tip->hash);
    transaction.commit();
    return timings;
  });
}

}  // namespace electrum::storage
