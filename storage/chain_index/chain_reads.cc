#include "storage/chain_index/chain_reads.h"

#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "storage/pg/hash_field.h"

namespace electrum::storage {

std::optional<StoredBlockHash> ReadTip(pqxx::transaction_base& session) {
  pqxx::result tip = session.exec("SELECT height, hash FROM chain_tip");
  if (tip.empty()) return std::nullopt;
  return StoredBlockHash{tip[0][0].as<int32_t>(), HashFromField<chain::BlockHash>(tip[0][1])};
}

std::vector<StoredBlockHash> ReadBlockHashes(pqxx::transaction_base& session, int32_t from,
                                             int32_t to) {
  std::vector<StoredBlockHash> blocks;
  for (const auto& row : session.exec_params(
           "SELECT height, hash FROM blocks WHERE height BETWEEN $1 AND $2 ORDER BY height", from,
           to)) {
    blocks.push_back({row[0].as<int32_t>(), HashFromField<chain::BlockHash>(row[1])});
  }
  return blocks;
}

std::vector<StoredHeader> ReadHeaders(pqxx::transaction_base& session, int32_t from, int32_t to) {
  std::vector<StoredHeader> headers;
  for (const auto& row : session.exec_params("SELECT height, hash, header, pow_data FROM blocks "
                                             "WHERE height BETWEEN $1 AND $2 ORDER BY height",
                                             from, to)) {
    StoredHeader& header = headers.emplace_back();
    header.height = row[0].as<int32_t>();
    header.hash = HashFromField<chain::BlockHash>(row[1]);
    header.header = pqxx::binarystring(row[2]).str();
    if (!row[3].is_null()) header.pow_data = pqxx::binarystring(row[3]).str();
  }
  return headers;
}

absl::StatusOr<std::vector<chain::TxId>> ReadBlockTxids(pqxx::transaction_base& session,
                                                        int32_t height) {
  pqxx::result rows = session.exec_params(
      "SELECT t.txids FROM blocks b JOIN block_txids t ON t.first_tx_num = b.first_tx_num "
      "WHERE b.height = $1",
      height);
  if (rows.empty()) return absl::NotFoundError(absl::StrCat("no block at height ", height));
  pqxx::binarystring bytes(rows[0][0]);
  if (bytes.size() % chain::TxId::kSize != 0) {
    return absl::DataLossError(absl::StrCat("block ", height, "'s txids are ", bytes.size(),
                                            " bytes, not a multiple of 32"));
  }
  std::vector<chain::TxId> txids;
  txids.reserve(bytes.size() / chain::TxId::kSize);
  for (size_t at = 0; at < bytes.size(); at += chain::TxId::kSize) {
    auto txid = chain::TxId::FromInternal(chain::ByteSpan(bytes.data() + at, chain::TxId::kSize));
    if (!txid.ok()) return absl::DataLossError("malformed txid in the index");
    txids.push_back(*txid);
  }
  return txids;
}

absl::StatusOr<std::optional<int32_t>> ReadTransactionHeight(pqxx::transaction_base& session,
                                                             const chain::TxId& txid) {
  // The latest place of the txid (of Bitcoin's duplicated coinbases, the
  // one that counts).
  pqxx::result rows =
      session.exec_params("SELECT height FROM electrum_transaction($1) LIMIT 1",
                          pqxx::binarystring(txid.span().data(), txid.span().size()));
  if (rows.empty()) return std::optional<int32_t>();
  return std::optional<int32_t>(rows[0][0].as<int32_t>());
}

}  // namespace electrum::storage
