#include "storage/chain_index/spilled_spends.h"

#include "absl/strings/str_cat.h"

namespace electrum::storage {

absl::StatusOr<int64_t> ResolveSpilledSpends(pqxx::work& transaction) {
  const int64_t spilled =
      transaction.exec1("SELECT count(*) FROM bulk_spilled_spends")[0].as<int64_t>();
  if (spilled == 0) return 0;
  // The tx_num bound picks, for a txid seen twice (Bitcoin's duplicate
  // coinbases), only transactions before the spender; a remaining ambiguity
  // shows in the count.
  const int64_t resolved =
      transaction
          .exec1(
              "WITH located AS ("
              "  SELECT t.tx_num, s.vout, s.spent_tx_num "
              "  FROM bulk_spilled_spends s "
              "  JOIN bulk_txids t ON t.txid = s.txid AND t.tx_num < s.spent_tx_num), "
              "found AS ("
              "  SELECT l.*, o.scripthash FROM located l "
              "  JOIN bulk_outputs o ON o.tx_num = l.tx_num AND o.vout = l.vout "
              "  UNION ALL "
              "  SELECT u.tx_num, s.vout, s.spent_tx_num, u.scripthash FROM bulk_spilled_spends s "
              "  JOIN utxos u ON u.txid = s.txid AND u.vout = s.vout "
              "               AND u.tx_num < s.spent_tx_num), "
              "spends AS (INSERT INTO bulk_spends (tx_num, vout, spent_tx_num) "
              "           SELECT tx_num, vout, spent_tx_num FROM found), "
              "history AS (INSERT INTO bulk_history (tx_num, scripthash) "
              "            SELECT spent_tx_num, scripthash FROM found) "
              "SELECT count(*) FROM found")[0]
          .as<int64_t>();
  if (resolved != spilled) {
    return absl::DataLossError(absl::StrCat(
        spilled, " spends of outputs evicted from memory during the bulk load matched ", resolved,
        " outputs: the chain spends outputs the index does not hold; reindex into an empty "
        "database"));
  }
  transaction.exec("TRUNCATE bulk_spilled_spends");
  return resolved;
}

}  // namespace electrum::storage
