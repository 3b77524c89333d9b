// migrate: brings a database to this build's schema version and exits.
//   migrate --database_url=postgresql://...   (or ELECTRUM_DATABASE_URL)
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_join.h"
#include "common/process/init_main.h"
#include "pqxx/pqxx"
#include "spdlog/spdlog.h"
#include "storage/migrate/migrator.h"
#include "storage/pg/pg_status.h"

ABSL_FLAG(std::string, database_url, "", "PostgreSQL connection string (libpq URI or key=value)");

int main(int argc, char** argv) {
  electrum::InitMain(argc, argv, "migrate",
                     "Brings a database to this build's schema version and exits");
  const std::string url = absl::GetFlag(FLAGS_database_url);
  if (url.empty()) {
    spdlog::error("--database_url (or ELECTRUM_DATABASE_URL) is required");
    return 2;
  }
  absl::StatusOr<electrum::storage::MigrationResult> result = electrum::storage::RunGuarded(
      "connecting", [&]() -> absl::StatusOr<electrum::storage::MigrationResult> {
        pqxx::connection connection(url);
        return electrum::storage::ApplyMigrations(connection,
                                                  electrum::storage::EmbeddedMigrations());
      });
  if (!result.ok()) {
    spdlog::error("{}", result.status().ToString());
    return 1;
  }
  if (result->applied.empty()) {
    spdlog::info("schema is up to date at version {}", result->version);
  } else {
    spdlog::info("applied migrations {}; schema version {}", absl::StrJoin(result->applied, ", "),
                 result->version);
  }
  return 0;
}
