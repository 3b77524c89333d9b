// The undo window: spent outputs are deleted from utxos, but those spent by
// the last --max_reorg_depth blocks are kept in spent_undo so a reorg can
// bring them back. undo_window.from_height is the lowest height whose spends
// are still kept; the writers move it up as the tip advances.
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_UNDO_WINDOW_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_UNDO_WINDOW_H_

#include <cstdint>

#include "pqxx/pqxx"

namespace electrum::storage {

// The lowest height whose spends can be undone.
int32_t ReadUndoFromHeight(pqxx::transaction_base& transaction);

// The window's start for a tip at `tip_height` keeping `depth` blocks.
int32_t UndoWindowStart(int32_t tip_height, int32_t depth);

// The first tx_num of the block at `height` (0 when it is not indexed).
int64_t FirstTxNumAt(pqxx::transaction_base& transaction, int32_t height);

// Moves the window's start up to at least `height` (never down), without
// touching undo rows: for spends that were never recorded.
void RaiseUndoFromHeight(pqxx::transaction_base& transaction, int32_t height);

// Moves the window's start up to UndoWindowStart(tip, depth) and drops the
// undo rows below it. Never moves it down.
void ShrinkUndoWindow(pqxx::transaction_base& transaction, int32_t tip_height, int32_t depth);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_UNDO_WINDOW_H_
