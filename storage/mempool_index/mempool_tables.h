// The SQL of the mempool tables (mempool_state, mempool_txs,
// mempool_outputs, mempool_spends, mempool_history, mempool_changes): what
// the mirror writes, and what the services read about it outside address
// queries (storage/address_index/address_queries.h reads mempool history in
// the same snapshot as confirmed history). Reads run in the caller's
// session; errors are libpqxx exceptions for RunGuarded or
// WithPooledSession to map.
#ifndef ELECTRUM_STORAGE_MEMPOOL_INDEX_MEMPOOL_TABLES_H_
#define ELECTRUM_STORAGE_MEMPOOL_INDEX_MEMPOOL_TABLES_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "common/chain/hash_types.h"
#include "storage/chain_index/unspent_outputs.h"
#include "storage/pg/binary_copy.h"

namespace pqxx {
class connection_base;
class dbtransaction;
class transaction_base;
}  // namespace pqxx

namespace electrum::storage {

// The sequence number of the latest mirror change.
int64_t ReadMempoolSequence(pqxx::transaction_base& session);

absl::flat_hash_set<chain::TxId> ReadMempoolTxids(pqxx::transaction_base& session);

// Which of `txids` the mirror holds.
absl::flat_hash_set<chain::TxId> ReadMempoolTxidsAmong(pqxx::transaction_base& session,
                                                       const std::vector<chain::TxId>& txids);

struct SpentOutput {
  chain::ScriptHash scripthash;
  int64_t value = 0;
  bool in_mempool = false;  // else a confirmed unspent output
};

// The outputs among `wanted` that the mirror or the confirmed unspent set
// holds.
absl::flat_hash_map<OutPoint, SpentOutput> ReadSpentOutputs(pqxx::transaction_base& session,
                                                            const std::vector<OutPoint>& wanted);

struct MempoolFee {
  uint64_t fee = 0;
  uint64_t vsize = 0;
};
std::vector<MempoolFee> ReadMempoolFees(pqxx::transaction_base& session);

struct MempoolTotals {
  uint64_t transactions = 0;
  uint64_t vsize = 0;
  uint64_t sequence = 0;
};
MempoolTotals ReadMempoolTotals(pqxx::transaction_base& session);

// Script hashes whose mempool history changed after `sequence`.
std::vector<chain::ScriptHash> ReadMempoolChangesAfter(pqxx::transaction_base& session,
                                                       int64_t sequence);

// The rows one mirror change adds, encoded as they are added.
class MempoolAdditions {
 public:
  void AddTx(const chain::TxId& txid, int64_t fee, int32_t vsize, bool unconfirmed_inputs);
  void AddOutput(const chain::TxId& txid, uint32_t vout, const chain::ScriptHash& scripthash,
                 int64_t value);
  void AddSpend(const OutPoint& spent, const chain::TxId& spender,
                const chain::ScriptHash& scripthash, int64_t value);
  // Also records the script hash as changed.
  void AddHistory(const chain::ScriptHash& scripthash, const chain::TxId& txid);

  // COPYs the touched script hashes into mempool_changes, then (after the
  // caller's removals, which free the outpoints a replacement spends again)
  // the rows, the transactions stamped with `sequence`.
  absl::Status CopyChangesInto(pqxx::dbtransaction& transaction, int64_t sequence) const;
  absl::Status CopyRowsInto(pqxx::dbtransaction& transaction, int64_t sequence);

 private:
  struct TxRow {
    chain::TxId txid;
    int64_t fee = 0;
    int32_t vsize = 0;
    bool unconfirmed_inputs = false;
  };
  std::vector<TxRow> txs_;
  BinaryCopyBuffer outputs_, spends_, history_;
  absl::flat_hash_set<chain::ScriptHash> touched_;
};

// One mirror change in one transaction: removes `removed`, adds
// `additions`, takes the next sequence number (returned), records every
// touched script hash in mempool_changes (keeping `keep_sequences` of
// them), flips children whose last unconfirmed parent left, and NOTIFYs
// electrum_mempool with the sequence on commit.
absl::StatusOr<int64_t> WriteMempoolChange(pqxx::connection_base& connection,
                                           MempoolAdditions& additions,
                                           const std::vector<chain::TxId>& removed,
                                           int64_t keep_sequences);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_MEMPOOL_INDEX_MEMPOOL_TABLES_H_
