#include "storage/chain_index/undo_window.h"

#include <algorithm>

namespace electrum::storage {

int32_t ReadUndoFromHeight(pqxx::transaction_base& transaction) {
  pqxx::result row = transaction.exec("SELECT from_height FROM undo_window");
  return row.empty() ? 0 : row[0][0].as<int32_t>();
}

int32_t UndoWindowStart(int32_t tip_height, int32_t depth) {
  return std::max(0, tip_height - std::max(depth, 1) + 1);
}

int64_t FirstTxNumAt(pqxx::transaction_base& transaction, int32_t height) {
  pqxx::result row =
      transaction.exec_params("SELECT first_tx_num FROM blocks WHERE height = $1", height);
  return row.empty() ? 0 : row[0][0].as<int64_t>();
}

void RaiseUndoFromHeight(pqxx::transaction_base& transaction, int32_t height) {
  transaction.exec_params("UPDATE undo_window SET from_height = greatest(from_height, $1)", height);
}

void ShrinkUndoWindow(pqxx::transaction_base& transaction, int32_t tip_height, int32_t depth) {
  const int32_t start = UndoWindowStart(tip_height, depth);
  pqxx::result moved = transaction.exec_params(
      "UPDATE undo_window SET from_height = $1 WHERE from_height < $1 RETURNING 1", start);
  if (moved.empty()) return;
  transaction.exec_params("DELETE FROM spent_undo WHERE spent_tx_num < $1",
                          FirstTxNumAt(transaction, start));
}

}  // namespace electrum::storage
