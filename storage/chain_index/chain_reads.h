// Reads of the chain tables (chain_tip, blocks, block_txids and the txid
// lookup) for the services: the header cache, the blockchain service's
// transaction lookups, and the history service's change tracking. Each runs in the caller's
// session, so the caller chooses the snapshot and the deadline (storage/pg/pooled_session.h).
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_CHAIN_READS_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_CHAIN_READS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/hash_types.h"

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace electrum::storage {

struct StoredBlockHash {
  int32_t height = 0;
  chain::BlockHash hash;
};

// The indexed tip; nullopt before the first block.
std::optional<StoredBlockHash> ReadTip(pqxx::transaction_base& session);

// Blocks `from`..`to` (inclusive) that are indexed, ascending.
std::vector<StoredBlockHash> ReadBlockHashes(pqxx::transaction_base& session, int32_t from,
                                             int32_t to);

struct StoredHeader {
  int32_t height = 0;
  chain::BlockHash hash;
  std::string header;                   // as the node sent it (80 bytes)
  std::optional<std::string> pow_data;  // AuxPoW and the like
};

// Headers of blocks `from`..`to` (inclusive) that are indexed, ascending.
std::vector<StoredHeader> ReadHeaders(pqxx::transaction_base& session, int32_t from, int32_t to);

// NOT_FOUND when no block is indexed at `height`.
absl::StatusOr<std::vector<chain::TxId>> ReadBlockTxids(pqxx::transaction_base& session,
                                                        int32_t height);

// The height of the latest confirmed transaction with this txid; nullopt
// when none is indexed (nor are the transactions of a bulk load before it
// finishes).
absl::StatusOr<std::optional<int32_t>> ReadTransactionHeight(pqxx::transaction_base& session,
                                                             const chain::TxId& txid);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_CHAIN_READS_H_
