// Writer-role leadership through PostgreSQL session advisory locks: the
// replica holding a role's lock writes, the others wait. The lock dies with
// the session, so a crashed leader is replaced automatically.
#ifndef ELECTRUM_STORAGE_PG_ADVISORY_LOCK_H_
#define ELECTRUM_STORAGE_PG_ADVISORY_LOCK_H_

#include "absl/status/statusor.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::storage {

// "ingest" and "mempool" in ASCII.
inline constexpr long long kIngestLockKey = 0x696e67657374LL;
inline constexpr long long kMempoolLockKey = 0x6d656d706f6f6cLL;

// True when this session now holds (or already held) the lock.
absl::StatusOr<bool> TryTakeAdvisoryLock(pqxx::connection_base& connection, long long key);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_PG_ADVISORY_LOCK_H_
