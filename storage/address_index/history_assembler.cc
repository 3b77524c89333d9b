#include "storage/address_index/history_assembler.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "common/status/status_macros.h"
#include "storage/address_index/history_assembly.h"
#include "storage/address_index/range_txids.h"

namespace electrum::storage::address_sql {

HistoryAssembler::HistoryAssembler(const chain::ScriptHash& scripthash, int64_t from_tx_num)
    : from_tx_num_(from_tx_num) {
  std::copy_n(scripthash.span().begin(), kHistoryKeyBytes, key_.begin());
}

absl::Status HistoryAssembler::AddAll(const BinaryRows& rows) {
  // Room for every entry at once: a long history is a few hundred packed
  // rows, and growing by doubling copied (and faulted in) its entries
  // about twice more.
  size_t packed_bytes = 0;
  for (int row = 0; row < rows.size(); ++row) {
    if (!rows.IsNull(row, 5)) packed_bytes += rows.Bytes(row, 5).size();
  }
  const size_t most = rows.size() + packed_bytes / kKeyedEntryBytes;
  tx_nums_.reserve(most);
  items_.reserve(most);
  for (int row = 0; row < rows.size(); ++row) RETURN_IF_ERROR(Add(rows, row));
  return absl::OkStatus();
}

absl::Status HistoryAssembler::Add(const BinaryRows& rows, int row) {
  if (!rows.IsNull(row, kRangedColumn)) {
    const int64_t changes = rows.Int64(row, kChangesColumn);
    // One statement, one snapshot: every range row saw the same value.
    if (range_changes_ && *range_changes_ != changes) return ChainChanged();
    range_changes_ = changes;
    return AppendRangeTxNums(rows.Bytes(row, kRangedColumn), key_, from_tx_num_, range_tx_nums_);
  }
  return VisitHistoryRow(
      rows, row,
      [&](const KeyedEntry& entry) {
        if (entry.tx_num >= from_tx_num_) AddConfirmed(entry.tx_num, {entry.txid, entry.height, 0});
        return absl::OkStatus();
      },
      [&](const HistoryItem& item) {
        mempool_.push_back(item);
        return absl::OkStatus();
      });
}

void HistoryAssembler::AddResolved(std::span<const KeyedEntry> resolved) {
  const auto before = [](const KeyedEntry& entry, int64_t tx_num) { return entry.tx_num < tx_num; };
  for (int64_t tx_num : range_tx_nums_) {
    const auto found = std::lower_bound(resolved.begin(), resolved.end(), tx_num, before);
    if (found != resolved.end() && found->tx_num == tx_num) {
      AddConfirmed(tx_num, {found->txid, found->height, 0});
    }
  }
  range_tx_nums_.clear();
}

HistoryWithPrefix HistoryAssembler::FinishWithPrefix(const ConfirmedPrefix* base) {
  SortConfirmed();
  auto prefix = std::make_shared<ConfirmedPrefix>();
  // Each tx_num once and after the base's, compacted in place; then the
  // items are handed over (without a base) rather than copied, so a long
  // history is not copied (nor its pages faulted in) again.
  int64_t last_tx_num = base != nullptr ? base->last_tx_num : prefix->last_tx_num;
  size_t kept = 0;
  for (size_t i = 0; i < tx_nums_.size(); ++i) {
    if (tx_nums_[i] <= last_tx_num) continue;
    last_tx_num = tx_nums_[i];
    if (kept != i) {
      tx_nums_[kept] = tx_nums_[i];
      items_[kept] = items_[i];
    }
    ++kept;
  }
  tx_nums_.resize(kept);
  items_.resize(kept);
  if (base == nullptr) {
    prefix->items = std::move(items_);
  } else {
    *prefix = *base;
    prefix->items.insert(prefix->items.end(), items_.begin(), items_.end());
  }
  prefix->last_tx_num = last_tx_num;
  std::vector<HistoryItem> unconfirmed = UnconfirmedOnly(prefix->items);
  return WithUnconfirmed(std::move(prefix), unconfirmed);
}

std::optional<std::pair<int64_t, HistoryItem>> HistoryAssembler::first_confirmed() {
  SortConfirmed();
  if (tx_nums_.empty()) return std::nullopt;
  return std::make_pair(tx_nums_.front(), items_.front());
}

// Rows come in tx_num order from one source; range entries and keyed rows
// (two sources) need the sort.
void HistoryAssembler::SortConfirmed() {
  if (std::is_sorted(tx_nums_.begin(), tx_nums_.end())) return;
  std::vector<size_t> order(tx_nums_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return tx_nums_[a] < tx_nums_[b]; });
  std::vector<int64_t> tx_nums(order.size());
  std::vector<HistoryItem> items(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    tx_nums[i] = tx_nums_[order[i]];
    items[i] = items_[order[i]];
  }
  tx_nums_ = std::move(tx_nums);
  items_ = std::move(items);
}

// The mempool entries in canonical order, less those `confirmed` holds (a
// just-mined transaction may still be in the mirror: reported once).
std::vector<HistoryItem> HistoryAssembler::UnconfirmedOnly(
    const std::vector<HistoryItem>& confirmed) {
  if (mempool_.empty()) return {};
  SortCanonically(mempool_);
  absl::flat_hash_set<chain::TxId> in_mempool;
  for (const HistoryItem& item : mempool_) in_mempool.insert(item.txid);
  absl::flat_hash_set<chain::TxId> confirmed_too;
  for (const HistoryItem& item : confirmed) {
    if (in_mempool.contains(item.txid)) confirmed_too.insert(item.txid);
  }
  return LeaveOut(mempool_, confirmed_too);
}

absl::Status ResolveRanges(pqxx::connection_base& connection,
                           std::span<HistoryAssembler> assemblers) {
  std::vector<int64_t> tx_nums;
  std::optional<int64_t> changes;
  for (const HistoryAssembler& assembler : assemblers) {
    if (assembler.range_tx_nums().empty()) continue;
    if (changes && changes != assembler.range_changes()) return ChainChanged();
    changes = assembler.range_changes();
    tx_nums.insert(tx_nums.end(), assembler.range_tx_nums().begin(),
                   assembler.range_tx_nums().end());
  }
  if (tx_nums.empty()) return absl::OkStatus();
  std::sort(tx_nums.begin(), tx_nums.end());
  tx_nums.erase(std::unique(tx_nums.begin(), tx_nums.end()), tx_nums.end());
  ASSIGN_OR_RETURN(std::vector<KeyedEntry> resolved,
                   ResolveRangeTxNums(connection, tx_nums, *changes));
  for (HistoryAssembler& assembler : assemblers) assembler.AddResolved(resolved);
  return absl::OkStatus();
}

}  // namespace electrum::storage::address_sql
