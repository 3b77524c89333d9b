#include "storage/address_index/history_assembly.h"

#include <algorithm>

namespace electrum::storage::address_sql {

void SortCanonically(std::vector<HistoryItem>& mempool) {
  std::sort(mempool.begin(), mempool.end(), [](const HistoryItem& a, const HistoryItem& b) {
    if (a.height != b.height) return a.height > b.height;
    const auto& x = a.txid.internal();
    const auto& y = b.txid.internal();
    return std::lexicographical_compare(x.rbegin(), x.rend(), y.rbegin(), y.rend());
  });
}

std::vector<HistoryItem> LeaveOut(const std::vector<HistoryItem>& mempool,
                                  const absl::flat_hash_set<chain::TxId>& confirmed_too) {
  std::vector<HistoryItem> kept;
  kept.reserve(mempool.size());
  for (const HistoryItem& item : mempool) {
    if (!confirmed_too.contains(item.txid)) kept.push_back(item);
  }
  return kept;
}

HistoryWithPrefix WithUnconfirmed(std::shared_ptr<const ConfirmedPrefix> prefix,
                                  const std::vector<HistoryItem>& unconfirmed) {
  HistoryWithPrefix out;
  if (unconfirmed.empty()) {
    out.history = std::shared_ptr<const std::vector<HistoryItem>>(prefix, &prefix->items);
  } else {
    auto history = std::make_shared<std::vector<HistoryItem>>();
    history->reserve(prefix->items.size() + unconfirmed.size());
    history->assign(prefix->items.begin(), prefix->items.end());
    history->insert(history->end(), unconfirmed.begin(), unconfirmed.end());
    out.history = std::move(history);
  }
  out.confirmed = std::move(prefix);
  return out;
}

}  // namespace electrum::storage::address_sql
