#include "services/blockchain/service/chain_queries.h"

#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"

namespace electrum::blockchain {

absl::StatusOr<std::vector<chain::TxId>> ReadBlockTxids(pqxx::transaction_base& session,
                                                        int32_t height) {
  // By tx_num range (the primary key), not by height (unindexed).
  pqxx::result rows = session.exec_params(
      "SELECT t.txid FROM blocks b JOIN txs t "
      "  ON t.tx_num >= b.first_tx_num AND t.tx_num < b.first_tx_num + b.tx_count "
      "WHERE b.height = $1 ORDER BY t.tx_num",
      height);
  if (rows.empty()) return absl::NotFoundError(absl::StrCat("no block at height ", height));
  std::vector<chain::TxId> txids;
  txids.reserve(rows.size());
  for (const auto& row : rows) {
    pqxx::binarystring bytes(row[0]);
    auto txid = chain::TxId::FromInternal(chain::ByteSpan(bytes.data(), bytes.size()));
    if (!txid.ok()) return absl::DataLossError("malformed txid in the index");
    txids.push_back(*txid);
  }
  return txids;
}

absl::StatusOr<std::optional<int32_t>> ReadTransactionHeight(pqxx::transaction_base& session,
                                                             const chain::TxId& txid) {
  pqxx::result rows =
      session.exec_params("SELECT height FROM txs WHERE txid = $1 ORDER BY tx_num DESC LIMIT 1",
                          pqxx::binarystring(txid.span().data(), txid.span().size()));
  if (rows.empty()) return std::optional<int32_t>();
  return std::optional<int32_t>(rows[0][0].as<int32_t>());
}

}  // namespace electrum::blockchain
