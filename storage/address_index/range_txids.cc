#include "storage/address_index/range_txids.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/status_macros.h"
#include "storage/address_index/query_params.h"
#include "storage/pg/binary_query.h"

namespace electrum::storage::address_sql {
namespace {

constexpr char kChainChangedPayload[] = "electrum/chain-changed";

// Rows: the index's chain_tip.changes, then a tx_num, its height and txid
// (NULL for all three when none resolves, so the first column always
// comes). Parameter: the tx_nums as a text array.
constexpr char kRangeTxids[] = "range_txids";
constexpr char kRangeTxidsSql[] =
    "SELECT c.changes, r.n, r.height, r.txid FROM chain_tip c "
    "LEFT JOIN LATERAL (SELECT u.n, t.height, t.txid "
    "                   FROM unnest($1::bigint[]) AS u(n), chain_tx(u.n) AS t) AS r ON true";

}  // namespace

absl::Status ChainChanged() {
  absl::Status status =
      absl::AbortedError("the confirmed index changed while it was read; ask again");
  status.SetPayload(kChainChangedPayload, absl::Cord("1"));
  return status;
}

bool IsChainChanged(const absl::Status& status) {
  return status.code() == absl::StatusCode::kAborted &&
         status.GetPayload(kChainChangedPayload).has_value();
}

absl::StatusOr<std::vector<KeyedEntry>> ResolveRangeTxNums(pqxx::connection_base& connection,
                                                           const std::vector<int64_t>& tx_nums,
                                                           int64_t changes) {
  std::vector<KeyedEntry> entries;
  if (tx_nums.empty()) return entries;
  ASSIGN_OR_RETURN(
      BinaryRows rows,
      QueryBinary(connection, kRangeTxids, kRangeTxidsSql,
                  {QueryParam::Text(absl::StrCat("{", absl::StrJoin(tx_nums, ","), "}"))}));
  if (rows.size() == 0 || rows.Int64(0, 0) != changes) return ChainChanged();
  entries.reserve(rows.size());
  for (int row = 0; row < rows.size(); ++row) {
    if (rows.IsNull(row, 1)) continue;
    entries.push_back({rows.Int64(row, 1), rows.Int32(row, 2), TxIdAt(rows, row, 3)});
  }
  if (entries.size() != tx_nums.size()) return ChainChanged();
  const auto by_tx_num = [](const KeyedEntry& a, const KeyedEntry& b) {
    return a.tx_num < b.tx_num;
  };
  if (!std::is_sorted(entries.begin(), entries.end(), by_tx_num)) {
    std::sort(entries.begin(), entries.end(), by_tx_num);
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].tx_num != tx_nums[i]) return ChainChanged();
  }
  return entries;
}

}  // namespace electrum::storage::address_sql
