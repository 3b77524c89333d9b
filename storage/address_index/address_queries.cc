#include "storage/address_index/address_queries.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/chain/electrum_hashes.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "storage/address_index/history_assembly.h"
#include "storage/address_index/query_params.h"
#include "storage/chain_index/history_layout.h"
#include "storage/pg/binary_query.h"
#include "storage/pg/hash_field.h"

namespace electrum::storage {
namespace {

// Rows of these statements: txid, height, fee, unconfirmed inputs, tx_num,
// packed, [position]. A confirmed entry from history_ranges comes with its
// tx_num, txid and height (from block_txids); a history_keys row with its
// first tx_num and packed entries (decoded here); a mempool entry with
// neither.
constexpr char kHistory[] = "history_of_scripthash";
constexpr char kHistorySql[] =
    "(SELECT t.txid, t.height, 0::bigint AS fee, false AS unconfirmed_inputs, n AS tx_num, "
    "        NULL::bytea AS packed "
    " FROM history_range_tx_nums(history_key($1::bytea)) AS n, chain_tx(n) AS t) "
    "UNION ALL "
    "(SELECT NULL, NULL, NULL, NULL, first_tx_num, entries FROM history_keys "
    " WHERE scripthash = $1 ORDER BY first_tx_num LIMIT $2) "
    "UNION ALL "
    "(SELECT m.txid, 0, t.fee, t.has_unconfirmed_inputs, NULL, NULL FROM mempool_history m "
    " JOIN mempool_txs t ON t.txid = m.txid WHERE m.scripthash = $1)";

// kHistory from the prefix's last transaction ($3): the history_keys rows
// reaching it.
constexpr char kHistoryFrom[] = "history_of_scripthash_from";
constexpr char kHistoryFromSql[] =
    "(SELECT t.txid, t.height, 0::bigint AS fee, false AS unconfirmed_inputs, n AS tx_num, "
    "        NULL::bytea AS packed "
    " FROM history_range_tx_nums(history_key($1::bytea)) AS n, chain_tx(n) AS t "
    " WHERE n >= $3) "
    "UNION ALL "
    "(SELECT NULL, NULL, NULL, NULL, first_tx_num, entries FROM history_keys "
    " WHERE scripthash = $1 AND last_tx_num >= $3 ORDER BY first_tx_num LIMIT $2) "
    "UNION ALL "
    "(SELECT m.txid, 0, t.fee, t.has_unconfirmed_inputs, NULL, NULL FROM mempool_history m "
    " JOIN mempool_txs t ON t.txid = m.txid WHERE m.scripthash = $1)";

// Many script hashes at once ($1: their 32-byte hashes concatenated); rows
// carry the script hash's position in $1.
constexpr char kHistories[] = "histories_of_scripthashes";
constexpr char kHistoriesSql[] =
    "WITH wanted AS (SELECT g AS ord, substring($1::bytea FROM g * 32 + 1 FOR 32) AS scripthash "
    "                FROM generate_series(0, octet_length($1::bytea) / 32 - 1) AS g) "
    "(SELECT t.txid, t.height, 0::bigint AS fee, false AS unconfirmed_inputs, n AS tx_num, "
    "        NULL::bytea AS packed, w.ord "
    " FROM wanted w CROSS JOIN LATERAL history_range_tx_nums(history_key(w.scripthash)) AS n "
    " CROSS JOIN LATERAL chain_tx(n) AS t) "
    "UNION ALL "
    "(SELECT NULL, NULL, NULL, NULL, k.first_tx_num, k.entries, w.ord "
    " FROM wanted w JOIN history_keys k ON k.scripthash = w.scripthash) "
    "UNION ALL "
    "(SELECT m.txid, 0, t.fee, t.has_unconfirmed_inputs, NULL, NULL, w.ord FROM wanted w "
    " JOIN mempool_history m ON m.scripthash = w.scripthash "
    " JOIN mempool_txs t ON t.txid = m.txid)";

constexpr char kMempoolHistory[] = "mempool_history_of_scripthash";
constexpr char kMempoolHistorySql[] =
    "SELECT m.txid, 0, t.fee, t.has_unconfirmed_inputs, NULL, NULL FROM mempool_history m "
    "JOIN mempool_txs t ON t.txid = m.txid WHERE m.scripthash = $1";

using address_sql::ConcatenatedHashes;
using address_sql::LeaveOut;
using address_sql::Params;
using address_sql::SortCanonically;
using address_sql::TooLarge;
using address_sql::VisitHistoryRow;
using address_sql::WithUnconfirmed;

// Rows of one script hash into history order: confirmed by tx_num, then
// mempool in canonical order; mempool entries already confirmed (a race
// with a new block) are dropped.
class HistoryAssembler {
 public:
  // Confirmed entries before `from_tx_num` are left out (packed rows may
  // start before the point a statement asked for).
  explicit HistoryAssembler(int64_t from_tx_num = 0) : from_tx_num_(from_tx_num) {}

  // Every row of a single-script-hash statement.
  absl::Status AddAll(const BinaryRows& rows) {
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

  // Columns: txid, height, fee, unconfirmed inputs, tx_num, packed (see
  // the statements).
  absl::Status Add(const BinaryRows& rows, int row) {
    return VisitHistoryRow(
        rows, row,
        [&](const KeyedEntry& entry) {
          if (entry.tx_num >= from_tx_num_)
            AddConfirmed(entry.tx_num, {entry.txid, entry.height, 0});
          return absl::OkStatus();
        },
        [&](const HistoryItem& item) {
          mempool_.push_back(item);
          return absl::OkStatus();
        });
  }

  std::vector<HistoryItem> Finish() { return *FinishWithPrefix(nullptr).history; }

  // Confirmed rows after `base` (when given) extend it; rows at or before
  // its end are the ones it already has.
  HistoryWithPrefix FinishWithPrefix(const ConfirmedPrefix* base) {
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

  // The first confirmed row (lowest tx_num), if any.
  std::optional<std::pair<int64_t, HistoryItem>> first_confirmed() {
    SortConfirmed();
    if (tx_nums_.empty()) return std::nullopt;
    return std::make_pair(tx_nums_.front(), items_.front());
  }

  size_t size() const { return tx_nums_.size() + mempool_.size(); }

 private:
  // Rows come in tx_num order from every statement here; sorting is the
  // fallback, not the rule.
  void AddConfirmed(int64_t tx_num, const HistoryItem& item) {
    tx_nums_.push_back(tx_num);
    items_.push_back(item);
  }

  void SortConfirmed() {
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

  // The mempool entries in canonical order, less those `confirmed` holds
  // (a just-mined transaction may still be in the mirror: reported once).
  std::vector<HistoryItem> UnconfirmedOnly(const std::vector<HistoryItem>& confirmed) {
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

  int64_t from_tx_num_;
  // Confirmed entries as parallel columns, so the items can become the
  // prefix's without a copy.
  std::vector<int64_t> tx_nums_;
  std::vector<HistoryItem> items_;
  std::vector<HistoryItem> mempool_;
};

}  // namespace

absl::StatusOr<HistoryWithPrefix> ReadHistory(pqxx::transaction_base& transaction,
                                              const chain::ScriptHash& scripthash,
                                              size_t max_entries) {
  ASSIGN_OR_RETURN(BinaryRows rows, QueryBinary(transaction.conn(), kHistory, kHistorySql,
                                                Params(scripthash, max_entries + 1)));
  HistoryAssembler assembler;
  RETURN_IF_ERROR(assembler.AddAll(rows));
  if (assembler.size() > max_entries) return TooLarge(max_entries);
  return assembler.FinishWithPrefix(nullptr);
}

absl::StatusOr<std::optional<HistoryWithPrefix>> ExtendHistory(
    pqxx::transaction_base& transaction, const chain::ScriptHash& scripthash,
    std::shared_ptr<const ConfirmedPrefix> prefix, size_t max_entries) {
  if (prefix == nullptr || prefix->items.empty()) return std::nullopt;
  if (prefix->items.size() > max_entries) return TooLarge(max_entries);
  // The prefix's last row again, then at most enough to exceed the limit.
  const size_t room = max_entries - prefix->items.size() + 2;
  ASSIGN_OR_RETURN(
      BinaryRows rows,
      QueryBinary(transaction.conn(), kHistoryFrom, kHistoryFromSql,
                  {QueryParam::Binary(scripthash.span()), QueryParam::Text(std::to_string(room)),
                   QueryParam::Text(std::to_string(prefix->last_tx_num))}));
  HistoryAssembler assembler(prefix->last_tx_num);
  RETURN_IF_ERROR(assembler.AddAll(rows));
  const auto anchor = assembler.first_confirmed();
  if (!anchor || anchor->first != prefix->last_tx_num ||
      anchor->second.txid != prefix->items.back().txid) {
    return std::nullopt;
  }
  if (prefix->items.size() + assembler.size() - 1 > max_entries) return TooLarge(max_entries);
  return assembler.FinishWithPrefix(prefix.get());
}

absl::StatusOr<std::vector<absl::StatusOr<HistoryWithPrefix>>> ReadHistories(
    pqxx::transaction_base& transaction, const std::vector<chain::ScriptHash>& scripthashes,
    size_t max_entries) {
  // One script hash: the plainer single-key statement is cheaper.
  if (scripthashes.size() == 1) {
    std::vector<absl::StatusOr<HistoryWithPrefix>> one;
    one.push_back(ReadHistory(transaction, scripthashes[0], max_entries));
    if (!one[0].ok() && one[0].status().code() != absl::StatusCode::kResourceExhausted) {
      return one[0].status();
    }
    return one;
  }
  ASSIGN_OR_RETURN(BinaryRows rows, QueryBinary(transaction.conn(), kHistories, kHistoriesSql,
                                                {ConcatenatedHashes(scripthashes)}));
  std::vector<HistoryAssembler> assemblers(scripthashes.size());
  for (int row = 0; row < rows.size(); ++row) {
    const int64_t position = rows.Int32(row, 6);
    if (position < 0 || position >= static_cast<int64_t>(assemblers.size())) {
      return absl::InternalError("history row for a script hash that was not asked for");
    }
    RETURN_IF_ERROR(assemblers[position].Add(rows, row));
  }
  std::vector<absl::StatusOr<HistoryWithPrefix>> histories;
  histories.reserve(assemblers.size());
  for (HistoryAssembler& assembler : assemblers) {
    if (assembler.size() > max_entries) {
      histories.push_back(TooLarge(max_entries));
    } else {
      histories.push_back(assembler.FinishWithPrefix(nullptr));
    }
  }
  return histories;
}

absl::StatusOr<std::vector<HistoryItem>> ReadMempoolHistory(pqxx::transaction_base& transaction,
                                                            const chain::ScriptHash& scripthash) {
  ASSIGN_OR_RETURN(BinaryRows rows, QueryBinary(transaction.conn(), kMempoolHistory,
                                                kMempoolHistorySql, Params(scripthash)));
  HistoryAssembler assembler;
  RETURN_IF_ERROR(assembler.AddAll(rows));
  return assembler.Finish();
}

std::optional<Sha256Digest> StatusOf(const std::vector<HistoryItem>& history) {
  chain::AddressStatusHasher hasher;
  for (const HistoryItem& item : history) hasher.Add(item.txid, item.height);
  return hasher.Finish();
}

std::vector<chain::ScriptHash> ReadScriptHashesIndexedFrom(pqxx::transaction_base& transaction,
                                                           int64_t first_tx_num) {
  std::vector<chain::ScriptHash> changed;
  for (const auto& row : transaction.exec_params(
           "SELECT DISTINCT scripthash FROM history_keys WHERE last_tx_num >= $1", first_tx_num)) {
    changed.push_back(HashFromField<chain::ScriptHash>(row[0]));
  }
  return changed;
}

}  // namespace electrum::storage
