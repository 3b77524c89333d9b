#include "storage/chain_index/testing/index_digest.h"

#include "pqxx/pqxx"

namespace electrum::storage {

std::string IndexDigest(pqxx::connection_base& connection) {
  pqxx::work transaction(connection);
  std::string out;
  for (const char* query :
       {"SELECT height, encode(hash, 'hex'), tx_count, first_tx_num FROM blocks ORDER BY height",
        "SELECT tx_num, encode(txid, 'hex'), height FROM chain_transactions ORDER BY tx_num",
        // Transactions the txid lookup misses, in whichever form it holds
        // them (ranges after a bulk load, rows block by block).
        "SELECT count(*) FROM chain_transactions c "
        "WHERE NOT EXISTS (SELECT 1 FROM electrum_transaction(c.txid) t "
        "                  WHERE t.tx_num = c.tx_num AND t.height = c.height)",
        "SELECT tx_num, vout, encode(txid, 'hex'), height, encode(scripthash, 'hex'), value "
        "FROM utxos ORDER BY tx_num, vout",
        "SELECT spent_tx_num, tx_num, vout, encode(txid, 'hex'), height, "
        "       encode(scripthash, 'hex'), value FROM spent_undo ORDER BY tx_num, vout",
        "SELECT from_height FROM undo_window",
        // History as (key, tx_num), whichever packed form holds it, so a
        // bulk load and block-by-block indexing compare equal.
        "SELECT encode(key, 'hex'), tx_num FROM ("
        "  SELECT e.key, e.tx_num FROM history_ranges r, history_range_entries(r.entries) e "
        "  UNION ALL "
        "  SELECT history_key(k.scripthash), e.tx_num "
        "  FROM history_keys k, history_keyed_entries(k.entries) e) AS h ORDER BY 1, 2",
        // Packed txids and heights that disagree with the chain's.
        "SELECT count(*) FROM (SELECT e.tx_num, e.height, e.txid "
        "                      FROM history_keys k, history_keyed_entries(k.entries) e "
        "                      EXCEPT SELECT tx_num, height, txid FROM chain_transactions) AS "
        "wrong",
        "SELECT height, encode(hash, 'hex') FROM chain_tip"}) {
    for (const auto& row : transaction.exec(query)) {
      for (const auto& field : row) out += field.c_str() + std::string(",");
      out += "\n";
    }
    out += "--\n";
  }
  return out;
}

}  // namespace electrum::storage
