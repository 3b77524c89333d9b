// The chain_tip row inside a writing transaction, shared by the block-by-block
// writer and the bulk loader: lock it and check that new blocks extend it,
// then move it (and announce the new tip) in the same transaction as the
// rows it covers.
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_TIP_ROW_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_TIP_ROW_H_

#include <cstdint>

#include "absl/status/status.h"
#include "common/chain/hash_types.h"
#include "pqxx/pqxx"
#include "storage/pg/hash_field.h"

namespace electrum::storage {

// Locks the tip row. ABORTED when a block at `height` with parent
// `prev_hash` does not extend it (the node moved on: roll back and retry).
absl::Status LockTipForExtension(pqxx::work& transaction, int32_t height,
                                 const chain::BlockHash& prev_hash,
                                 const chain::BlockHash& block_hash);

// The tx_num of the first transaction after the tip.
int64_t NextTxNum(pqxx::transaction_base& transaction);

// Moves the tip, counts the change in chain_tip.changes (readers that
// combine two statements compare it), and queues NOTIFY electrum_block
// "<height>:<display hash>" (delivered on commit). Every transaction that
// changes the confirmed index calls it.
void MoveTip(pqxx::work& transaction, int32_t height, const chain::BlockHash& hash);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_TIP_ROW_H_
