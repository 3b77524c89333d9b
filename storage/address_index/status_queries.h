// Electrum statuses of single script hashes read as a stream of rows from
// one statement (one snapshot): a long history is hashed as its packed rows
// arrive, never held whole, and what is kept of it for the next block is
// the hash state after its confirmed part.
#ifndef ELECTRUM_STORAGE_ADDRESS_INDEX_STATUS_QUERIES_H_
#define ELECTRUM_STORAGE_ADDRESS_INDEX_STATUS_QUERIES_H_

#include <cstdint>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "common/chain/electrum_hashes.h"
#include "common/chain/hash_types.h"
#include "common/crypto/sha256.h"
#include "storage/address_index/address_queries.h"

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace electrum::storage {

// The status hash over a history's confirmed part, ready to take more.
// Confirmed history only grows until a reorg, so after a block a status is
// this plus the new entries (and the mempool's).
struct StatusPrefix {
  chain::AddressStatusHasher hasher;
  int64_t last_tx_num = -1;
  chain::TxId last_txid;
  size_t entries = 0;
};

struct StatusRead {
  std::optional<Sha256Digest> status;  // none for an empty history
  bool too_large = false;              // more than max_entries: no status
  // A history of at most keep_up_to confirmed entries, kept for the caches.
  std::optional<HistoryWithPrefix> history;
  // A longer one: the hash state after its confirmed part.
  std::shared_ptr<const StatusPrefix> prefix;
};

// The status of `scripthash`. Histories of up to `keep_up_to` confirmed
// entries come back whole as well; longer ones are hashed as they arrive.
absl::StatusOr<StatusRead> ReadStatus(pqxx::transaction_base& transaction,
                                      const chain::ScriptHash& scripthash, size_t max_entries,
                                      size_t keep_up_to);

// The status of a history read whole (ReadHistory, ReadHistories), the
// history kept with it; RESOURCE_EXHAUSTED becomes too_large, other errors
// pass through.
absl::StatusOr<StatusRead> StatusReadOf(absl::StatusOr<HistoryWithPrefix> history);

// The status of `prefix`'s history and what has followed it, reading only
// that. nullopt when the prefix's last entry is no longer in the index (a
// reorg) or the rows are not as the stream expects: read afresh then.
absl::StatusOr<std::optional<StatusRead>> ExtendStatus(pqxx::transaction_base& transaction,
                                                       const chain::ScriptHash& scripthash,
                                                       const StatusPrefix& prefix,
                                                       size_t max_entries);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_ADDRESS_INDEX_STATUS_QUERIES_H_
