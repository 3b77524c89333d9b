// Applies schema migrations in order and records each in schema_migrations
// (version, name, checksum, time). Idempotent: applied versions are skipped.
// Safe to run from many replicas at once (a PostgreSQL advisory lock
// serializes them). Refuses a database whose recorded migrations differ from
// this binary's (edited after release, or a newer schema).
#ifndef ELECTRUM_STORAGE_MIGRATE_MIGRATOR_H_
#define ELECTRUM_STORAGE_MIGRATE_MIGRATOR_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/migrations/embedded_migrations.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::storage {

// Advisory lock key held while migrating ("electrum" in ASCII).
inline constexpr long long kMigrationLockKey = 0x656c65637472756dLL;

struct MigrationResult {
  // Versions applied by this call, in order; empty when already up to date.
  std::vector<int> applied;
  // Schema version after the call.
  int version = 0;
};

// Versions must be 1, 2, 3, ... with no gaps or repeats.
absl::Status ValidateMigrationList(const std::vector<Migration>& migrations);

// Lowercase hex SHA-256 of the migration's SQL text.
std::string MigrationChecksum(const Migration& migration);

absl::StatusOr<MigrationResult> ApplyMigrations(pqxx::connection_base& connection,
                                                const std::vector<Migration>& migrations);

// Highest recorded version; 0 for a database never migrated.
absl::StatusOr<int> CurrentSchemaVersion(pqxx::connection_base& connection);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_MIGRATE_MIGRATOR_H_
