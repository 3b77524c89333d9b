#include "storage/chain_index/tip_row.h"

#include "absl/strings/str_cat.h"

namespace electrum::storage {

absl::Status LockTipForExtension(pqxx::work& transaction, int32_t height,
                                 const chain::BlockHash& prev_hash,
                                 const chain::BlockHash& block_hash) {
  pqxx::result tip = transaction.exec("SELECT height, hash FROM chain_tip FOR UPDATE");
  const bool extends = tip.empty() ? height == 0
                                   : tip[0][0].as<int32_t>() + 1 == height &&
                                         HashFromField<chain::BlockHash>(tip[0][1]) == prev_hash;
  if (extends) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(
      "block ", height, " (", block_hash.ToDisplayHex(), ") does not extend the tip ",
      tip.empty() ? std::string("(empty index)")
                  : absl::StrCat(tip[0][0].as<int32_t>(), " ",
                                 HashFromField<chain::BlockHash>(tip[0][1]).ToDisplayHex())));
}

int64_t NextTxNum(pqxx::transaction_base& transaction) {
  pqxx::result row =
      transaction.exec("SELECT first_tx_num + tx_count FROM blocks ORDER BY height DESC LIMIT 1");
  return row.empty() ? 0 : row[0][0].as<int64_t>();
}

void MoveTip(pqxx::work& transaction, int32_t height, const chain::BlockHash& hash) {
  transaction.exec_params(
      "INSERT INTO chain_tip (singleton, height, hash) VALUES (true, $1, $2) "
      "ON CONFLICT (singleton) DO UPDATE SET height = EXCLUDED.height, hash = EXCLUDED.hash, "
      "changes = chain_tip.changes + 1",
      height, pqxx::binarystring(hash.span().data(), hash.span().size()));
  transaction.exec_params("SELECT pg_notify('electrum_block', $1)",
                          absl::StrCat(height, ":", hash.ToDisplayHex()));
}

}  // namespace electrum::storage
