// Leadership for the writer role: the replica holding PostgreSQL's session
// advisory lock `ingest` indexes; the others wait. The lock dies with the
// session, so a crashed leader is replaced automatically.
#ifndef ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INGEST_LEADER_H_
#define ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INGEST_LEADER_H_

#include "absl/status/statusor.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::blockchain {

// "ingest" in ASCII.
inline constexpr long long kIngestLockKey = 0x696e67657374LL;

// True when this session now holds (or already held) the lock.
absl::StatusOr<bool> TryBecomeIngestLeader(pqxx::connection_base& connection);

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INGEST_LEADER_H_
