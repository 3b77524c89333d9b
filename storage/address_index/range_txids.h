// The txids and heights of history_ranges entries, which hold only tx_nums:
// read from block_txids by a second statement after the one that found
// them. The two are of one confirmed index when both saw the same
// chain_tip.changes; otherwise the read is CHAIN_CHANGED and is repeated.
#ifndef ELECTRUM_STORAGE_ADDRESS_INDEX_RANGE_TXIDS_H_
#define ELECTRUM_STORAGE_ADDRESS_INDEX_RANGE_TXIDS_H_

#include <cstdint>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/chain_index/history_layout.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::storage::address_sql {

// A read that combined two statements and found the confirmed index changed
// between them (a block, a reorg or a bulk load's finish): ABORTED, marked
// so that retrying knows it from other aborts.
absl::Status ChainChanged();
bool IsChainChanged(const absl::Status& status);

// How often a read is repeated while the index keeps changing under it.
// Blocks arrive minutes apart; three changes within one read mean a bulk
// load is committing batch after batch, and the caller's retry is better.
inline constexpr int kChainChangeAttempts = 3;

// Runs `read` (returning a StatusOr or Status) again while it fails with
// ChainChanged, at most kChainChangeAttempts times in all.
template <typename Read>
auto RetryWhileChainChanges(Read read) -> decltype(read()) {
  for (int attempt = 1;; ++attempt) {
    auto result = read();
    if (attempt == kChainChangeAttempts) return result;
    if constexpr (std::is_same_v<decltype(result), absl::Status>) {
      if (!IsChainChanged(result)) return result;
    } else {
      if (!IsChainChanged(result.status())) return result;
    }
  }
}

// The entries at `tx_nums` (sorted, without repeats), in that order, by one
// statement. `changes` is the chain_tip.changes that the statement which
// found them saw: CHAIN_CHANGED when the index has changed since, or when a
// tx_num is not in it.
absl::StatusOr<std::vector<KeyedEntry>> ResolveRangeTxNums(pqxx::connection_base& connection,
                                                           const std::vector<int64_t>& tx_nums,
                                                           int64_t changes);

}  // namespace electrum::storage::address_sql

#endif  // ELECTRUM_STORAGE_ADDRESS_INDEX_RANGE_TXIDS_H_
