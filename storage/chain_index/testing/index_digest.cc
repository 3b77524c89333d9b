#include "storage/chain_index/testing/index_digest.h"

#include "pqxx/pqxx"

namespace electrum::storage {

std::string IndexDigest(pqxx::connection_base& connection) {
  pqxx::work transaction(connection);
  std::string out;
  for (const char* query :
       {"SELECT height, encode(hash, 'hex'), tx_count, first_tx_num FROM blocks ORDER BY height",
        "SELECT tx_num, encode(txid, 'hex'), height FROM txs ORDER BY tx_num",
        "SELECT tx_num, vout, encode(txid, 'hex'), height, encode(scripthash, 'hex'), value "
        "FROM utxos ORDER BY tx_num, vout",
        "SELECT spent_tx_num, tx_num, vout, encode(txid, 'hex'), height, "
        "       encode(scripthash, 'hex'), value FROM spent_undo ORDER BY tx_num, vout",
        "SELECT from_height FROM undo_window",
        "SELECT encode(scripthash, 'hex'), tx_num, encode(txid, 'hex'), height FROM history "
        "ORDER BY scripthash, tx_num",
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
