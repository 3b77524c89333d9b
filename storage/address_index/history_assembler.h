// One script hash's history from the rows of the history statements:
// confirmed entries by tx_num (history_keys rows decoded, history_ranges
// rows searched for the script's key and their tx_nums resolved by a
// second statement), then mempool entries in canonical order, less those
// already confirmed (a race with a new block).
#ifndef ELECTRUM_STORAGE_ADDRESS_INDEX_HISTORY_ASSEMBLER_H_
#define ELECTRUM_STORAGE_ADDRESS_INDEX_HISTORY_ASSEMBLER_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/chain/hash_types.h"
#include "storage/address_index/address_queries.h"
#include "storage/chain_index/history_layout.h"
#include "storage/pg/binary_query.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::storage::address_sql {

// Columns of the history statements: txid, height, fee, unconfirmed
// inputs (a mempool entry); tx_num and packed (a history_keys row); ranged
// and changes (a history_ranges row, with chain_tip.changes); then, in
// statements for many script hashes, the script hash's position.
inline constexpr int kRangedColumn = 6;
inline constexpr int kChangesColumn = 7;
inline constexpr int kPositionColumn = 8;

class HistoryAssembler {
 public:
  // Confirmed entries before `from_tx_num` are left out (packed rows may
  // start before the point a statement asked for).
  explicit HistoryAssembler(const chain::ScriptHash& scripthash, int64_t from_tx_num = 0);

  // Every row of a single-script-hash statement.
  absl::Status AddAll(const BinaryRows& rows);
  // One row (columns above).
  absl::Status Add(const BinaryRows& rows, int row);

  // The tx_nums found in range rows, waiting for their txids, and the
  // chain_tip.changes their statement saw.
  const std::vector<int64_t>& range_tx_nums() const { return range_tx_nums_; }
  std::optional<int64_t> range_changes() const { return range_changes_; }
  // `resolved` holds every tx_num of range_tx_nums(), sorted by tx_num.
  void AddResolved(std::span<const KeyedEntry> resolved);

  std::vector<HistoryItem> Finish() { return *FinishWithPrefix(nullptr).history; }

  // Confirmed rows after `base` (when given) extend it; rows at or before
  // its end are the ones it already has.
  HistoryWithPrefix FinishWithPrefix(const ConfirmedPrefix* base);

  // The first confirmed entry (lowest tx_num), if any.
  std::optional<std::pair<int64_t, HistoryItem>> first_confirmed();

  size_t size() const { return tx_nums_.size() + range_tx_nums_.size() + mempool_.size(); }

 private:
  void AddConfirmed(int64_t tx_num, const HistoryItem& item) {
    tx_nums_.push_back(tx_num);
    items_.push_back(item);
  }
  void SortConfirmed();
  std::vector<HistoryItem> UnconfirmedOnly(const std::vector<HistoryItem>& confirmed);

  std::array<uint8_t, kHistoryKeyBytes> key_{};
  int64_t from_tx_num_;
  // Confirmed entries as parallel columns, so the items can become the
  // prefix's without a copy.
  std::vector<int64_t> tx_nums_;
  std::vector<HistoryItem> items_;
  std::vector<HistoryItem> mempool_;
  // Found in range rows, waiting for their txids.
  std::vector<int64_t> range_tx_nums_;
  std::optional<int64_t> range_changes_;
};

// Resolves the range tx_nums of all `assemblers` (which read their rows in
// one statement) with one more statement. CHAIN_CHANGED when the index
// changed between the two.
absl::Status ResolveRanges(pqxx::connection_base& connection,
                           std::span<HistoryAssembler> assemblers);

}  // namespace electrum::storage::address_sql

#endif  // ELECTRUM_STORAGE_ADDRESS_INDEX_HISTORY_ASSEMBLER_H_
