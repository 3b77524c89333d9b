// What every history read does once its rows are in: mempool entries in
// the spec's canonical order without those already confirmed, and the
// history built from a confirmed part and them.
#ifndef ELECTRUM_STORAGE_ADDRESS_INDEX_HISTORY_ASSEMBLY_H_
#define ELECTRUM_STORAGE_ADDRESS_INDEX_HISTORY_ASSEMBLY_H_

#include <memory>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "storage/address_index/address_queries.h"

namespace electrum::storage::address_sql {

// Sorts `mempool` canonically: 0 before -1, then txid display hex ascending.
void SortCanonically(std::vector<HistoryItem>& mempool);

// The entries of `mempool` (canonically ordered) whose txids are not in
// `confirmed_too`, in their order.
std::vector<HistoryItem> LeaveOut(const std::vector<HistoryItem>& mempool,
                                  const absl::flat_hash_set<chain::TxId>& confirmed_too);

// The history of `prefix` followed by `unconfirmed`; without unconfirmed
// entries it shares the prefix's items rather than copying them.
HistoryWithPrefix WithUnconfirmed(std::shared_ptr<const ConfirmedPrefix> prefix,
                                  const std::vector<HistoryItem>& unconfirmed);

}  // namespace electrum::storage::address_sql

#endif  // ELECTRUM_STORAGE_ADDRESS_INDEX_HISTORY_ASSEMBLY_H_
