#include "storage/migrate/migrator.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/crypto/hex.h"
#include "common/crypto/sha256.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "storage/pg/pg_status.h"

namespace electrum::storage {
namespace {

constexpr char kCreateLedger[] = R"sql(
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer     PRIMARY KEY CHECK (version > 0),
    name       text        NOT NULL,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  ))sql";

struct AppliedMigration {
  std::string name;
  std::string checksum;
};

// Holds the session-level advisory lock for its lifetime.
class MigrationLock {
 public:
  explicit MigrationLock(pqxx::connection_base& connection) : connection_(connection) {
    pqxx::nontransaction(connection_).exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
  }
  ~MigrationLock() {
    try {
      pqxx::nontransaction(connection_)
          .exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
    } catch (...) {
      // The lock dies with the session anyway.
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  pqxx::connection_base& connection_;
};

std::map<int, AppliedMigration> ReadLedger(pqxx::connection_base& connection) {
  pqxx::work transaction(connection);
  transaction.exec(kCreateLedger);
  std::map<int, AppliedMigration> applied;
  for (const auto& row :
       transaction.exec("SELECT version, name, checksum FROM schema_migrations")) {
    applied.emplace(row[0].as<int>(),
                    AppliedMigration{row[1].as<std::string>(), row[2].as<std::string>()});
  }
  transaction.commit();
  return applied;
}

absl::Status CheckLedgerAgainst(const std::map<int, AppliedMigration>& applied,
                                const std::vector<Migration>& migrations) {
  for (const auto& [version, record] : applied) {
    if (version > static_cast<int>(migrations.size())) {
      return absl::FailedPreconditionError(
          absl::StrCat("database schema has migration ", version, " (", record.name,
                       ") which this binary does not know; it knows up to ", migrations.size(),
                       ": run a newer binary"));
    }
    const Migration& known = migrations[version - 1];
    if (record.checksum != MigrationChecksum(known)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "migration ", version, " (", std::string(known.name),
          ") differs from the one applied to this database; released migrations must not "
          "be edited: add a new one"));
    }
  }
  return absl::OkStatus();
}

void ApplyOne(pqxx::connection_base& connection, const Migration& migration) {
  pqxx::work transaction(connection);
  transaction.exec(std::string(migration.sql));
  transaction.exec_params(
      "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
      migration.version, std::string(migration.name), MigrationChecksum(migration));
  transaction.commit();
}

}  // namespace

absl::Status ValidateMigrationList(const std::vector<Migration>& migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i + 1)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration versions must run 1, 2, 3... without gaps; position ", i + 1,
          " holds version ", migrations[i].version, " (", std::string(migrations[i].name), ")"));
    }
  }
  return absl::OkStatus();
}

std::string MigrationChecksum(const Migration& migration) { return ToHex(Sha256(migration.sql)); }

absl::StatusOr<MigrationResult> ApplyMigrations(pqxx::connection_base& connection,
                                                const std::vector<Migration>& migrations) {
  RETURN_IF_ERROR(ValidateMigrationList(migrations));
  return RunGuarded("applying migrations", [&]() -> absl::StatusOr<MigrationResult> {
    MigrationLock lock(connection);
    std::map<int, AppliedMigration> applied = ReadLedger(connection);
    RETURN_IF_ERROR(CheckLedgerAgainst(applied, migrations));
    MigrationResult result;
    for (const Migration& migration : migrations) {
      if (applied.contains(migration.version)) continue;
      absl::Status status = RunGuarded(
          absl::StrCat("migration ", migration.version, " (", std::string(migration.name), ")"),
          [&]() -> absl::Status {
            ApplyOne(connection, migration);
            return absl::OkStatus();
          });
      RETURN_IF_ERROR(status);
      result.applied.push_back(migration.version);
    }
    result.version = static_cast<int>(migrations.size());
    return result;
  });
}

absl::StatusOr<int> CurrentSchemaVersion(pqxx::connection_base& connection) {
  return RunGuarded("reading the schema version", [&]() -> absl::StatusOr<int> {
    pqxx::work transaction(connection);
    pqxx::row exists = transaction.exec1("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!exists[0].as<bool>()) return 0;
    pqxx::row row = transaction.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations");
    return row[0].as<int>();
  });
}

}  // namespace electrum::storage
