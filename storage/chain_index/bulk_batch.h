// Turns consecutive prepared blocks into the binary COPY payloads of one bulk
// transaction: blocks, block_txids, bulk_txids, bulk_outputs, bulk_history and
// bulk_spends rows. Spends
// are resolved against the in-memory unspent outputs, so every history row
// (funding and spending) is known here and the database only appends.
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_BULK_BATCH_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_BULK_BATCH_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "common/chain/hash_types.h"
#include "storage/chain_index/prepared_block.h"
#include "storage/chain_index/unspent_outputs.h"
#include "storage/pg/binary_copy.h"

namespace electrum::storage {

struct BulkBatch {
  // `txs` holds the bulk_txids rows.
  BinaryCopyBuffer blocks, block_txids, txs, outputs, history, spends;
  // Spends of outputs evicted from memory: (txid, vout, spent_tx_num), for
  // bulk_spilled_spends.
  BinaryCopyBuffer spilled;
  int32_t first_height = -1;
  int32_t last_height = -1;
  // What the batch must extend, and the tip it leaves.
  chain::BlockHash first_prev_hash;
  chain::BlockHash last_hash;
  int64_t first_tx_num = 0;
  int64_t transactions = 0;
  // The highest block whose spends were canceled (not recorded), or -1: no
  // reorg may undo it, whatever --max_reorg_depth a later process has.
  int32_t last_canceled_height = -1;

  size_t rows() const {
    return blocks.rows() + block_txids.rows() + txs.rows() + outputs.rows() + history.rows() +
           spends.rows() + spilled.rows();
  }
};

class BulkBatchBuilder {
 public:
  // `next_tx_num` is the tx_num of the first transaction after the tip.
  // Blocks below `cancel_below_height` lie outside any undo window the load
  // can end with: an output they create and spend within one batch is
  // written neither to bulk_outputs nor to bulk_spends (most spends take
  // recent outputs, so this saves a large share of both and of the merge).
  BulkBatchBuilder(UnspentOutputs& unspent, int64_t next_tx_num, int32_t cancel_below_height = -1)
      : unspent_(unspent), next_tx_num_(next_tx_num), cancel_below_height_(cancel_below_height) {}

  // Appends the block's rows. INVALID_ARGUMENT when it does not follow the
  // previous block; DATA_LOSS when it spends an output that is not unspent
  // (known only while nothing was evicted: later, such a spend is staged as
  // spilled and the finish reports it).
  // After an error the unspent outputs are partly updated: rebuild them.
  absl::Status Add(const PreparedBlock& block);

  bool empty() const { return batch_.first_height < 0; }
  int64_t transactions() const { return batch_.transactions; }
  int64_t next_tx_num() const { return next_tx_num_; }

  // The batch so far; the builder starts a new one after it.
  BulkBatch Take();

  // Outputs created and spent within a batch, left out of it, so far.
  int64_t canceled() const { return canceled_total_; }

 private:
  struct PendingOutput {
    int64_t tx_num;
    int64_t value;
    uint32_t vout;
    chain::ScriptHash scripthash;
  };

  // A spend of an output of this batch, when it can cancel: true if it did.
  bool CancelWithinBatch(const UnspentOutput& spent, uint32_t vout, int32_t height);
  void EncodeOutputs();

  UnspentOutputs& unspent_;
  int64_t next_tx_num_;
  const int32_t cancel_below_height_;
  BulkBatch batch_;
  // The batch's outputs, encoded at Take() without the canceled ones.
  std::vector<PendingOutput> outputs_;
  absl::flat_hash_set<std::pair<int64_t, uint32_t>> canceled_;
  int64_t canceled_total_ = 0;
  // Continuity across batches.
  int32_t last_height_ = -1;
  chain::BlockHash last_hash_;
};

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_BULK_BATCH_H_
