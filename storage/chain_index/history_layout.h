// The packed history formats of schema 6 (storage/migrations/0006), for the
// C++ side: the bulk packer writes history_ranges rows, the history service
// decodes history_keys rows. The SQL functions in the migration are the
// same formats for readers in SQL.
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_HISTORY_LAYOUT_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_HISTORY_LAYOUT_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/chain/hash_types.h"

namespace electrum::storage {

// history_ranges files an entry under the script hash's first bytes.
inline constexpr size_t kHistoryKeyBytes = 9;
inline constexpr size_t kHistoryTxNumBytes = 5;
// Key, then tx_num.
inline constexpr size_t kRangeEntryBytes = kHistoryKeyBytes + kHistoryTxNumBytes;
// At most this many entries per history_ranges row: 142 keeps the row
// (1,988 bytes of entries plus headers) under PostgreSQL's 2 KB TOAST
// threshold, four rows to a page.
inline constexpr size_t kRangeRowEntries = 142;
// tx_num, height, txid.
inline constexpr size_t kKeyedTxidOffset = kHistoryTxNumBytes + 4;
inline constexpr size_t kKeyedEntryBytes = kKeyedTxidOffset + 32;

struct KeyedEntry {
  int64_t tx_num = 0;
  int32_t height = 0;
  chain::TxId txid;
};

// DATA_LOSS unless `packed` (a history_keys row) is a whole number of
// entries.
absl::Status CheckKeyedEntries(std::span<const uint8_t> packed);

// One entry of a history_keys row.
KeyedEntry DecodeKeyedEntry(std::span<const uint8_t, kKeyedEntryBytes> entry);

// Appends to `out` the tx_nums that a history_ranges row (`packed`) files
// under `key`, from `from_tx_num` on, in order. Entries are sorted by key
// and tx_num, so this is a binary search and a short scan. DATA_LOSS
// unless the row is a whole number of entries.
absl::Status AppendRangeTxNums(std::span<const uint8_t> packed,
                               std::span<const uint8_t, kHistoryKeyBytes> key, int64_t from_tx_num,
                               std::vector<int64_t>& out);

// Appends one history_ranges entry.
void AppendRangeEntry(std::span<const uint8_t, kHistoryKeyBytes> key, int64_t tx_num,
                      std::string& out);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_HISTORY_LAYOUT_H_
