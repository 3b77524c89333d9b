// Turns a bulk load's staged history (bulk_history) into schema-6 rows when
// the load finishes, inside its transaction: one sort of the staged entries
// by script hash, streamed through a cursor into HistoryPacker, whose
// history_ranges rows and heavy scripts' entries go back by binary COPY.
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_HISTORY_PACK_LOAD_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_HISTORY_PACK_LOAD_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "pqxx/pqxx"

namespace electrum::storage {

struct HistoryPackOptions {
  // Scripts with at least this many entries in the load are kept whole, with
  // txids, in history_keys (their reads need no txid lookup per entry).
  size_t keyed_from_entries = 512;
  // Entries per history_keys row of such a script.
  size_t keyed_row_entries = 4096;
  // Entries per FETCH from the sorted stream.
  size_t fetch_entries = 100000;
};

struct HistoryPackCounts {
  size_t entries = 0;
  size_t range_rows = 0;
  size_t keyed_scripts = 0;
};

// Packs and empties bulk_history. history_ranges partitions the key space
// of one load, so a later load (history_ranges not empty) keys every script.
absl::StatusOr<HistoryPackCounts> PackStagedHistory(pqxx::work& transaction,
                                                    const HistoryPackOptions& options);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_HISTORY_PACK_LOAD_H_
