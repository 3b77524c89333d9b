#include "storage/chain_index/history_pack_load.h"

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "storage/chain_index/history_packer.h"
#include "storage/pg/binary_copy.h"
#include "storage/pg/binary_query.h"
#include "storage/pg/copy_in.h"

namespace electrum::storage {
namespace {

// COPY payloads are sent when they reach this size.
constexpr size_t kCopyFlushBytes = 16 << 20;

// Sends the packer's output back into the transaction by binary COPY.
class CopySink : public HistoryPackSink {
 public:
  explicit CopySink(pqxx::work& transaction) : transaction_(transaction) {}

  absl::Status RangeRow(std::span<const uint8_t, kHistoryKeyBytes> first_key,
                        const std::string& entries, int64_t last_tx_num) override {
    ranges_.StartRow(3);
    ranges_.AddInt64(last_tx_num);
    ranges_.AddBytes(first_key);
    ranges_.AddBytes(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(entries.data()), entries.size()));
    return ranges_.size() >= kCopyFlushBytes ? FlushRanges() : absl::OkStatus();
  }

  absl::Status KeyedEntry(const chain::ScriptHash& scripthash, int64_t tx_num) override {
    keyed_.StartRow(2);
    keyed_.AddBytes(scripthash.span());
    keyed_.AddInt64(tx_num);
    return keyed_.size() >= kCopyFlushBytes ? FlushKeyed() : absl::OkStatus();
  }

  absl::Status Flush() {
    RETURN_IF_ERROR(FlushRanges());
    return FlushKeyed();
  }

 private:
  absl::Status FlushRanges() {
    if (ranges_.rows() == 0) return absl::OkStatus();
    RETURN_IF_ERROR(CopyBinaryInto(transaction_, "history_ranges (last_tx_num, first_key, entries)",
                                   ranges_.Finish()));
    ranges_ = BinaryCopyBuffer();
    return absl::OkStatus();
  }

  absl::Status FlushKeyed() {
    if (keyed_.rows() == 0) return absl::OkStatus();
    RETURN_IF_ERROR(
        CopyBinaryInto(transaction_, "packed_keyed (scripthash, tx_num)", keyed_.Finish()));
    keyed_ = BinaryCopyBuffer();
    return absl::OkStatus();
  }

  pqxx::work& transaction_;
  BinaryCopyBuffer ranges_, keyed_;
};

// Streams the staged entries, in key order, through the packer.
absl::StatusOr<HistoryPackCounts> StreamThroughPacker(pqxx::work& transaction,
                                                      const HistoryPackOptions& options,
                                                      size_t keyed_from_entries) {
  transaction.exec(
      "DECLARE staged_history NO SCROLL CURSOR FOR "
      "SELECT scripthash, tx_num FROM bulk_history ORDER BY scripthash, tx_num");
  CopySink sink(transaction);
  HistoryPacker packer(keyed_from_entries, sink);
  HistoryPackCounts counts;
  const std::string fetch = absl::StrCat("FETCH ", options.fetch_entries, " FROM staged_history");
  for (;;) {
    ASSIGN_OR_RETURN(BinaryRows rows, QueryBinaryUnprepared(transaction.conn(), fetch));
    for (int row = 0; row < rows.size(); ++row) {
      ASSIGN_OR_RETURN(chain::ScriptHash scripthash,
                       chain::ScriptHash::FromInternal(rows.Bytes(row, 0)));
      RETURN_IF_ERROR(packer.Add(scripthash, rows.Int64(row, 1)));
    }
    counts.entries += static_cast<size_t>(rows.size());
    if (static_cast<size_t>(rows.size()) < options.fetch_entries) break;
  }
  transaction.exec("CLOSE staged_history");
  RETURN_IF_ERROR(packer.Finish());
  RETURN_IF_ERROR(sink.Flush());
  counts.range_rows = packer.range_rows();
  counts.keyed_scripts = packer.keyed_scripts();
  return counts;
}

}  // namespace

absl::StatusOr<HistoryPackCounts> PackStagedHistory(pqxx::work& transaction,
                                                    const HistoryPackOptions& options) {
  const bool ranges_taken =
      transaction.exec1("SELECT EXISTS (SELECT 1 FROM history_ranges)")[0].as<bool>();
  transaction.exec(
      "CREATE TEMP TABLE packed_keyed (scripthash bytea NOT NULL, tx_num bigint NOT NULL) "
      "ON COMMIT DROP");
  ASSIGN_OR_RETURN(
      HistoryPackCounts counts,
      StreamThroughPacker(transaction, options, ranges_taken ? 1 : options.keyed_from_entries));
  // Heavy scripts: rows of keyed_row_entries entries each.
  transaction.exec_params(
      "INSERT INTO history_keys (first_tx_num, last_tx_num, scripthash, entries) "
      "SELECT min(tx_num), max(tx_num), scripthash, "
      "       string_agg(history_keyed_entry(tx_num, height, txid), ''::bytea ORDER BY tx_num) "
      "FROM (SELECT k.scripthash, k.tx_num, t.height, t.txid, "
      "             (row_number() OVER (PARTITION BY k.scripthash ORDER BY k.tx_num) - 1) / $1 "
      "               AS part "
      "      FROM packed_keyed k JOIN bulk_txids t USING (tx_num)) e "
      "GROUP BY scripthash, part",
      static_cast<int64_t>(options.keyed_row_entries));
  transaction.exec("TRUNCATE bulk_history");
  return counts;
}

}  // namespace electrum::storage
