// Balances and unspent outputs of script hashes (the utxos table and the
// mempool's outputs and spends), one script hash or many per statement.
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "storage/address_index/address_queries.h"
#include "storage/address_index/query_params.h"
#include "storage/pg/binary_query.h"

namespace electrum::storage {
namespace {

using address_sql::ConcatenatedHashes;
using address_sql::TooLarge;
using address_sql::TxIdAt;

// Balances of script hashes ($1: their 32-byte hashes concatenated), a row
// per script hash in that order: confirmed unspent outputs, mempool outputs,
// and confirmed outputs the mempool spends. Mempool transactions a new block
// has confirmed count only as confirmed: the mirror drops them a moment
// after the block is indexed, and until then they would count twice.
constexpr char kBalances[] = "balances_of_scripthashes";
constexpr char kBalancesSql[] =
    "WITH wanted AS (SELECT g AS ord, substring($1::bytea FROM g * 32 + 1 FOR 32) AS scripthash "
    "                FROM generate_series(0, octet_length($1::bytea) / 32 - 1) AS g) "
    "SELECT (SELECT coalesce(sum(value), 0)::bigint FROM utxos u "
    "        WHERE u.scripthash = w.scripthash), "
    "       (SELECT coalesce(sum(value), 0)::bigint FROM mempool_outputs o "
    "        WHERE o.scripthash = w.scripthash "
    "          AND NOT EXISTS (SELECT 1 FROM electrum_transaction(o.txid))), "
    "       (SELECT coalesce(sum(value), 0)::bigint FROM mempool_spends s "
    "        WHERE s.scripthash = w.scripthash "
    "          AND NOT EXISTS (SELECT 1 FROM electrum_transaction(s.spending_txid))) "
    "FROM wanted w ORDER BY w.ord";

// Unspent outputs of script hashes ($1: their 32-byte hashes concatenated,
// $2: the limit per script hash), rows carrying the script hash's position:
// confirmed in chain order, then mempool outputs by outpoint (not those of
// transactions a new block has confirmed, as for balances), leaving out what
// a mempool transaction spends.
constexpr char kUnspents[] = "unspent_of_scripthashes";
constexpr char kUnspentsSql[] =
    "WITH wanted AS (SELECT g AS ord, substring($1::bytea FROM g * 32 + 1 FOR 32) AS scripthash "
    "                FROM generate_series(0, octet_length($1::bytea) / 32 - 1) AS g) "
    "SELECT w.ord, c.txid, c.vout, c.height, c.value, 0 AS part, c.tx_num AS rank "
    "FROM wanted w CROSS JOIN LATERAL ("
    "  SELECT o.txid, o.vout, o.height, o.value, o.tx_num FROM utxos o "
    "  WHERE o.scripthash = w.scripthash AND NOT EXISTS ("
    "    SELECT 1 FROM mempool_spends s WHERE s.prev_txid = o.txid AND s.prev_vout = o.vout) "
    "  ORDER BY o.tx_num, o.vout LIMIT $2) AS c "
    "UNION ALL "
    "SELECT w.ord, o.txid, o.vout, 0, o.value, 1, NULL FROM wanted w "
    "JOIN mempool_outputs o ON o.scripthash = w.scripthash "
    "WHERE NOT EXISTS (SELECT 1 FROM mempool_spends s "
    "                  WHERE s.prev_txid = o.txid AND s.prev_vout = o.vout) "
    "  AND NOT EXISTS (SELECT 1 FROM electrum_transaction(o.txid)) "
    "ORDER BY 1, 6, 7, 2, 3";

}  // namespace

absl::StatusOr<std::vector<Balance>> ReadBalances(
    pqxx::transaction_base& transaction, const std::vector<chain::ScriptHash>& scripthashes) {
  ASSIGN_OR_RETURN(BinaryRows sums, QueryBinary(transaction.conn(), kBalances, kBalancesSql,
                                                {ConcatenatedHashes(scripthashes)}));
  if (static_cast<size_t>(sums.size()) != scripthashes.size()) {
    return absl::InternalError("balances statement answered the wrong number of rows");
  }
  std::vector<Balance> balances(scripthashes.size());
  for (int row = 0; row < sums.size(); ++row) {
    balances[row].confirmed = static_cast<uint64_t>(sums.Int64(row, 0));
    balances[row].unconfirmed = sums.Int64(row, 1) - sums.Int64(row, 2);
  }
  return balances;
}

absl::StatusOr<std::vector<absl::StatusOr<std::vector<Unspent>>>> ReadUnspents(
    pqxx::transaction_base& transaction, const std::vector<chain::ScriptHash>& scripthashes,
    size_t max_entries) {
  ASSIGN_OR_RETURN(BinaryRows rows,
                   QueryBinary(transaction.conn(), kUnspents, kUnspentsSql,
                               {ConcatenatedHashes(scripthashes),
                                QueryParam::Text(std::to_string(max_entries + 1))}));
  std::vector<std::vector<Unspent>> lists(scripthashes.size());
  for (int row = 0; row < rows.size(); ++row) {
    const int32_t position = rows.Int32(row, 0);
    if (position < 0 || static_cast<size_t>(position) >= lists.size()) {
      return absl::InternalError("unspent row for a script hash that was not asked for");
    }
    lists[position].push_back({TxIdAt(rows, row, 1), static_cast<uint32_t>(rows.Int32(row, 2)),
                               rows.Int32(row, 3), static_cast<uint64_t>(rows.Int64(row, 4))});
  }
  std::vector<absl::StatusOr<std::vector<Unspent>>> out;
  out.reserve(lists.size());
  for (std::vector<Unspent>& list : lists) {
    if (list.size() > max_entries) {
      out.push_back(TooLarge(max_entries));
    } else {
      out.push_back(std::move(list));
    }
  }
  return out;
}

}  // namespace electrum::storage
