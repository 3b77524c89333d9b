// Leadership for the indexer: the replica holding the `ingest` advisory lock
// writes the index; the others wait (storage/pg/advisory_lock.h).
#ifndef ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INGEST_LEADER_H_
#define ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INGEST_LEADER_H_

#include "storage/pg/advisory_lock.h"

namespace electrum::blockchain {

inline absl::StatusOr<bool> TryBecomeIngestLeader(pqxx::connection_base& connection) {
  return storage::TryTakeAdvisoryLock(connection, storage::kIngestLockKey);
}

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INGEST_LEADER_H_
