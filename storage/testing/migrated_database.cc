#include "storage/testing/migrated_database.h"

#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "storage/migrate/migrator.h"
#include "storage/pg/pg_status.h"

namespace electrum::storage {

absl::StatusOr<std::unique_ptr<TestDatabase>> CreateMigratedTestDatabase(absl::string_view prefix) {
  ASSIGN_OR_RETURN(std::unique_ptr<TestDatabase> database, TestDatabase::Create(prefix));
  absl::Status migrated = RunGuarded("migrating the test database", [&]() -> absl::Status {
    pqxx::connection connection(database->dsn());
    return ApplyMigrations(connection, EmbeddedMigrations()).status();
  });
  RETURN_IF_ERROR(migrated);
  return database;
}

}  // namespace electrum::storage
