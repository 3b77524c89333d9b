// What every history read does with its rows: each row's entries, and once
// they are in, mempool entries in the spec's canonical order without those
// already confirmed, and the history built from a confirmed part and them.
#ifndef ELECTRUM_STORAGE_ADDRESS_INDEX_HISTORY_ASSEMBLY_H_
#define ELECTRUM_STORAGE_ADDRESS_INDEX_HISTORY_ASSEMBLY_H_

#include <memory>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "common/status/status_macros.h"
#include "storage/address_index/address_queries.h"
#include "storage/address_index/query_params.h"
#include "storage/chain_index/history_layout.h"
#include "storage/pg/binary_query.h"

namespace electrum::storage::address_sql {

// One row of the history statements (columns: txid, height, fee,
// unconfirmed inputs, tx_num, packed): a history_keys row's entries, or a
// history_ranges entry, each through `on_confirmed` (a KeyedEntry), or a
// mempool entry through `on_mempool` (a HistoryItem). The first error
// stops it. A template: it runs once per entry of the longest histories.
template <typename OnConfirmed, typename OnMempool>
absl::Status VisitHistoryRow(const BinaryRows& rows, int row, OnConfirmed on_confirmed,
                             OnMempool on_mempool) {
  if (!rows.IsNull(row, 5)) {
    const std::span<const uint8_t> packed = rows.Bytes(row, 5);
    RETURN_IF_ERROR(CheckKeyedEntries(packed));
    for (size_t at = 0; at < packed.size(); at += kKeyedEntryBytes) {
      RETURN_IF_ERROR(on_confirmed(DecodeKeyedEntry(packed.subspan(at).first<kKeyedEntryBytes>())));
    }
    return absl::OkStatus();
  }
  if (!rows.IsNull(row, 4)) {
    return on_confirmed(KeyedEntry{rows.Int64(row, 4), rows.Int32(row, 1), TxIdAt(rows, row, 0)});
  }
  return on_mempool(HistoryItem{TxIdAt(rows, row, 0), rows.Bool(row, 3) ? -1 : 0,
                                static_cast<uint64_t>(rows.Int64(row, 2))});
}

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
