#include "services/history/history_queries.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/chain/electrum_hashes.h"
#include "pqxx/pqxx"
#include "storage/pg/pg_status.h"

namespace electrum::history {
namespace {

pqxx::binarystring Param(const chain::ScriptHash& scripthash) {
  return pqxx::binarystring(scripthash.span().data(), scripthash.span().size());
}

chain::TxId TxIdFrom(const pqxx::field& field) {
  pqxx::binarystring bytes(field);
  std::array<uint8_t, 32> internal{};
  if (bytes.size() == 32) std::copy(bytes.begin(), bytes.end(), internal.begin());
  return chain::TxId(internal);
}

// 0 before -1, then txid display hex ascending (byte-reversed order).
bool CanonicalMempoolOrder(const HistoryItem& a, const HistoryItem& b) {
  if (a.height != b.height) return a.height > b.height;
  const auto& x = a.txid.internal();
  const auto& y = b.txid.internal();
  return std::lexicographical_compare(x.rbegin(), x.rend(), y.rbegin(), y.rend());
}

absl::Status TooLarge(size_t max_entries) {
  return absl::ResourceExhaustedError(
      absl::StrCat("history too large: more than ", max_entries, " entries"));
}

std::vector<HistoryItem> MempoolEntries(pqxx::dbtransaction& transaction,
                                        const chain::ScriptHash& scripthash) {
  std::vector<HistoryItem> entries;
  for (const auto& row : transaction.exec_params(
           "SELECT t.txid, t.fee, t.has_unconfirmed_inputs FROM mempool_history h "
           "JOIN mempool_txs t ON t.txid = h.txid WHERE h.scripthash = $1",
           Param(scripthash))) {
    entries.push_back({TxIdFrom(row[0]), row[2].as<bool>() ? -1 : 0, row[1].as<uint64_t>()});
  }
  std::sort(entries.begin(), entries.end(), CanonicalMempoolOrder);
  return entries;
}

}  // namespace

absl::StatusOr<std::vector<HistoryItem>> ReadHistory(pqxx::dbtransaction& transaction,
                                                     const chain::ScriptHash& scripthash,
                                                     size_t max_entries) {
  return storage::RunGuarded("reading history", [&]() -> absl::StatusOr<std::vector<HistoryItem>> {
    pqxx::result confirmed = transaction.exec_params(
        "SELECT t.txid, t.height FROM history h JOIN txs t ON t.tx_num = h.tx_num "
        "WHERE h.scripthash = $1 ORDER BY h.tx_num LIMIT $2",
        Param(scripthash), static_cast<int64_t>(max_entries) + 1);
    if (confirmed.size() > max_entries) return TooLarge(max_entries);
    std::vector<HistoryItem> history;
    history.reserve(confirmed.size());
    absl::flat_hash_set<chain::TxId> seen;
    for (const auto& row : confirmed) {
      history.push_back({TxIdFrom(row[0]), row[1].as<int32_t>(), 0});
      seen.insert(history.back().txid);
    }
    for (HistoryItem& entry : MempoolEntries(transaction, scripthash)) {
      if (seen.contains(entry.txid)) continue;
      history.push_back(entry);
    }
    if (history.size() > max_entries) return TooLarge(max_entries);
    return history;
  });
}

absl::StatusOr<std::vector<HistoryItem>> ReadMempoolHistory(pqxx::dbtransaction& transaction,
                                                            const chain::ScriptHash& scripthash) {
  return storage::RunGuarded("reading mempool history",
                             [&]() -> absl::StatusOr<std::vector<HistoryItem>> {
                               return MempoolEntries(transaction, scripthash);
                             });
}

std::optional<Sha256Digest> StatusOf(const std::vector<HistoryItem>& history) {
  std::vector<chain::StatusHistoryEntry> entries;
  entries.reserve(history.size());
  for (const HistoryItem& item : history) entries.push_back({item.txid, item.height});
  return chain::AddressStatus(entries);
}

absl::StatusOr<Balance> ReadBalance(pqxx::dbtransaction& transaction,
                                    const chain::ScriptHash& scripthash) {
  return storage::RunGuarded("reading a balance", [&]() -> absl::StatusOr<Balance> {
    pqxx::row sums = transaction.exec_params1(
        "SELECT (SELECT coalesce(sum(value), 0) FROM outputs "
        "        WHERE scripthash = $1 AND spent_tx_num IS NULL), "
        "       (SELECT coalesce(sum(value), 0) FROM mempool_outputs WHERE scripthash = $1), "
        "       (SELECT coalesce(sum(value), 0) FROM mempool_spends WHERE scripthash = $1)",
        Param(scripthash));
    Balance balance;
    balance.confirmed = sums[0].as<uint64_t>();
    balance.unconfirmed = sums[1].as<int64_t>() - sums[2].as<int64_t>();
    return balance;
  });
}

absl::StatusOr<std::vector<Unspent>> ReadUnspent(pqxx::dbtransaction& transaction,
                                                 const chain::ScriptHash& scripthash,
                                                 size_t max_entries) {
  return storage::RunGuarded(
      "listing unspent outputs", [&]() -> absl::StatusOr<std::vector<Unspent>> {
        std::vector<Unspent> unspent;
        pqxx::result confirmed = transaction.exec_params(
            "SELECT t.txid, o.vout, t.height, o.value FROM outputs o JOIN txs t ON t.tx_num = "
            "o.tx_num "
            "WHERE o.scripthash = $1 AND o.spent_tx_num IS NULL AND NOT EXISTS ("
            "  SELECT 1 FROM mempool_spends s WHERE s.prev_txid = t.txid AND s.prev_vout = o.vout) "
            "ORDER BY o.tx_num, o.vout LIMIT $2",
            Param(scripthash), static_cast<int64_t>(max_entries) + 1);
        if (confirmed.size() > max_entries) return TooLarge(max_entries);
        for (const auto& row : confirmed) {
          unspent.push_back({TxIdFrom(row[0]), row[1].as<uint32_t>(), row[2].as<int32_t>(),
                             row[3].as<uint64_t>()});
        }
        for (const auto& row : transaction.exec_params(
                 "SELECT o.txid, o.vout, o.value FROM mempool_outputs o WHERE o.scripthash = $1 "
                 "AND NOT EXISTS (SELECT 1 FROM mempool_spends s "
                 "                WHERE s.prev_txid = o.txid AND s.prev_vout = o.vout) "
                 "ORDER BY o.txid, o.vout",
                 Param(scripthash))) {
          unspent.push_back({TxIdFrom(row[0]), row[1].as<uint32_t>(), 0, row[2].as<uint64_t>()});
        }
        if (unspent.size() > max_entries) return TooLarge(max_entries);
        return unspent;
      });
}

}  // namespace electrum::history
