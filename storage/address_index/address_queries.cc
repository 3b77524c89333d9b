#include "storage/address_index/address_queries.h"

#include "common/chain/electrum_hashes.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "storage/address_index/history_assembler.h"
#include "storage/address_index/query_params.h"
#include "storage/address_index/range_txids.h"
#include "storage/chain_index/history_layout.h"
#include "storage/pg/binary_query.h"
#include "storage/pg/hash_field.h"

namespace electrum::storage {
namespace {

// Rows of these statements: see history_assembler.h. A history_ranges row
// comes whole (the assembler finds the script's entries in it), with
// chain_tip.changes; a history_keys row with its first tx_num and packed
// entries; a mempool entry with its txid, fee and unconfirmed inputs.
constexpr char kHistory[] = "history_rows_of_scripthash";
constexpr char kHistorySql[] =
    "(SELECT NULL::bytea AS txid, NULL::int4 AS height, NULL::bigint AS fee, "
    "        NULL::bool AS unconfirmed_inputs, NULL::bigint AS tx_num, NULL::bytea AS packed, "
    "        r.entries AS ranged, c.changes "
    " FROM history_range_rows(history_key($1::bytea)) AS r(entries), chain_tip c) "
    "UNION ALL "
    "(SELECT NULL, NULL, NULL, NULL, first_tx_num, entries, NULL, NULL FROM history_keys "
    " WHERE scripthash = $1 ORDER BY first_tx_num LIMIT $2) "
    "UNION ALL "
    "(SELECT m.txid, 0, t.fee, t.has_unconfirmed_inputs, NULL, NULL, NULL, NULL "
    " FROM mempool_history m JOIN mempool_txs t ON t.txid = m.txid WHERE m.scripthash = $1)";

// kHistory from the prefix's last transaction ($3): the history_keys rows
// reaching it (range rows are filtered by the assembler).
constexpr char kHistoryFrom[] = "history_rows_of_scripthash_from";
constexpr char kHistoryFromSql[] =
    "(SELECT NULL::bytea AS txid, NULL::int4 AS height, NULL::bigint AS fee, "
    "        NULL::bool AS unconfirmed_inputs, NULL::bigint AS tx_num, NULL::bytea AS packed, "
    "        r.entries AS ranged, c.changes "
    " FROM history_range_rows(history_key($1::bytea)) AS r(entries), chain_tip c) "
    "UNION ALL "
    "(SELECT NULL, NULL, NULL, NULL, first_tx_num, entries, NULL, NULL FROM history_keys "
    " WHERE scripthash = $1 AND last_tx_num >= $3 ORDER BY first_tx_num LIMIT $2) "
    "UNION ALL "
    "(SELECT m.txid, 0, t.fee, t.has_unconfirmed_inputs, NULL, NULL, NULL, NULL "
    " FROM mempool_history m JOIN mempool_txs t ON t.txid = m.txid WHERE m.scripthash = $1)";

// Many script hashes at once ($1: their 32-byte hashes concatenated); rows
// carry the script hash's position in $1.
constexpr char kHistories[] = "history_rows_of_scripthashes";
constexpr char kHistoriesSql[] =
    "WITH wanted AS (SELECT g AS ord, substring($1::bytea FROM g * 32 + 1 FOR 32) AS scripthash "
    "                FROM generate_series(0, octet_length($1::bytea) / 32 - 1) AS g) "
    "(SELECT NULL::bytea AS txid, NULL::int4 AS height, NULL::bigint AS fee, "
    "        NULL::bool AS unconfirmed_inputs, NULL::bigint AS tx_num, NULL::bytea AS packed, "
    "        r.entries AS ranged, c.changes, w.ord "
    " FROM wanted w CROSS JOIN LATERAL history_range_rows(history_key(w.scripthash)) AS r(entries) "
    " CROSS JOIN chain_tip c) "
    "UNION ALL "
    "(SELECT NULL, NULL, NULL, NULL, k.first_tx_num, k.entries, NULL, NULL, w.ord "
    " FROM wanted w JOIN history_keys k ON k.scripthash = w.scripthash) "
    "UNION ALL "
    "(SELECT m.txid, 0, t.fee, t.has_unconfirmed_inputs, NULL, NULL, NULL, NULL, w.ord "
    " FROM wanted w JOIN mempool_history m ON m.scripthash = w.scripthash "
    " JOIN mempool_txs t ON t.txid = m.txid)";

constexpr char kMempoolHistory[] = "mempool_history_rows_of_scripthash";
constexpr char kMempoolHistorySql[] =
    "SELECT m.txid, 0, t.fee, t.has_unconfirmed_inputs, NULL::bigint, NULL::bytea, "
    "       NULL::bytea, NULL::bigint "
    "FROM mempool_history m JOIN mempool_txs t ON t.txid = m.txid WHERE m.scripthash = $1";

using address_sql::ConcatenatedHashes;
using address_sql::HistoryAssembler;
using address_sql::kPositionColumn;
using address_sql::Params;
using address_sql::ResolveRanges;
using address_sql::RetryWhileChainChanges;
using address_sql::TooLarge;

}  // namespace

absl::StatusOr<HistoryWithPrefix> ReadHistory(pqxx::transaction_base& transaction,
                                              const chain::ScriptHash& scripthash,
                                              size_t max_entries) {
  return RetryWhileChainChanges([&]() -> absl::StatusOr<HistoryWithPrefix> {
    ASSIGN_OR_RETURN(BinaryRows rows, QueryBinary(transaction.conn(), kHistory, kHistorySql,
                                                  Params(scripthash, max_entries + 1)));
    HistoryAssembler assembler(scripthash);
    RETURN_IF_ERROR(assembler.AddAll(rows));
    if (assembler.size() > max_entries) return TooLarge(max_entries);
    RETURN_IF_ERROR(ResolveRanges(transaction.conn(), {&assembler, 1}));
    return assembler.FinishWithPrefix(nullptr);
  });
}

absl::StatusOr<std::optional<HistoryWithPrefix>> ExtendHistory(
    pqxx::transaction_base& transaction, const chain::ScriptHash& scripthash,
    std::shared_ptr<const ConfirmedPrefix> prefix, size_t max_entries) {
  if (prefix == nullptr || prefix->items.empty()) return std::nullopt;
  if (prefix->items.size() > max_entries) return TooLarge(max_entries);
  // The prefix's last row again, then at most enough to exceed the limit.
  const size_t room = max_entries - prefix->items.size() + 2;
  return RetryWhileChainChanges([&]() -> absl::StatusOr<std::optional<HistoryWithPrefix>> {
    ASSIGN_OR_RETURN(
        BinaryRows rows,
        QueryBinary(transaction.conn(), kHistoryFrom, kHistoryFromSql,
                    {QueryParam::Binary(scripthash.span()), QueryParam::Text(std::to_string(room)),
                     QueryParam::Text(std::to_string(prefix->last_tx_num))}));
    HistoryAssembler assembler(scripthash, prefix->last_tx_num);
    RETURN_IF_ERROR(assembler.AddAll(rows));
    if (prefix->items.size() + assembler.size() - 1 > max_entries) return TooLarge(max_entries);
    RETURN_IF_ERROR(ResolveRanges(transaction.conn(), {&assembler, 1}));
    const auto anchor = assembler.first_confirmed();
    if (!anchor || anchor->first != prefix->last_tx_num ||
        anchor->second.txid != prefix->items.back().txid) {
      return std::nullopt;
    }
    return assembler.FinishWithPrefix(prefix.get());
  });
}

namespace {

// ReadHistories' one attempt.
absl::StatusOr<std::vector<absl::StatusOr<HistoryWithPrefix>>> ReadHistoriesOnce(
    pqxx::transaction_base& transaction, const std::vector<chain::ScriptHash>& scripthashes,
    size_t max_entries) {
  ASSIGN_OR_RETURN(BinaryRows rows, QueryBinary(transaction.conn(), kHistories, kHistoriesSql,
                                                {ConcatenatedHashes(scripthashes)}));
  std::vector<HistoryAssembler> assemblers;
  assemblers.reserve(scripthashes.size());
  for (const chain::ScriptHash& scripthash : scripthashes) assemblers.emplace_back(scripthash);
  for (int row = 0; row < rows.size(); ++row) {
    const int64_t position = rows.Int32(row, kPositionColumn);
    if (position < 0 || position >= static_cast<int64_t>(assemblers.size())) {
      return absl::InternalError("history row for a script hash that was not asked for");
    }
    RETURN_IF_ERROR(assemblers[position].Add(rows, row));
  }
  RETURN_IF_ERROR(ResolveRanges(transaction.conn(), assemblers));
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

}  // namespace

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
  return RetryWhileChainChanges(
      [&] { return ReadHistoriesOnce(transaction, scripthashes, max_entries); });
}

absl::StatusOr<std::vector<HistoryItem>> ReadMempoolHistory(pqxx::transaction_base& transaction,
                                                            const chain::ScriptHash& scripthash) {
  ASSIGN_OR_RETURN(BinaryRows rows, QueryBinary(transaction.conn(), kMempoolHistory,
                                                kMempoolHistorySql, Params(scripthash)));
  HistoryAssembler assembler(scripthash);
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
