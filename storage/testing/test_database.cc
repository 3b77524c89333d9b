#include "storage/testing/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "storage/pg/pg_status.h"

namespace electrum::storage {

absl::StatusOr<std::unique_ptr<TestDatabase>> TestDatabase::Create(absl::string_view prefix) {
  const char* admin = std::getenv(kTestClusterEnvironmentVariable);
  if (admin == nullptr || *admin == '\0') {
    return absl::FailedPreconditionError(
        absl::StrCat(kTestClusterEnvironmentVariable,
                     " is not set: run PostgreSQL tests through tools/test.sh, which starts the "
                     "project's cluster"));
  }
  static std::atomic<int> counter{0};
  std::string name = absl::StrCat(prefix, "_", getpid(), "_", counter++);
  std::string admin_dsn(admin);
  return RunGuarded(
      "creating test database " + name, [&]() -> absl::StatusOr<std::unique_ptr<TestDatabase>> {
        pqxx::connection connection(admin_dsn);
        pqxx::nontransaction(connection)
            .exec(absl::StrCat("CREATE DATABASE ", connection.quote_name(name)));
        std::string dsn = absl::StrCat("host=", connection.hostname(), " port=", connection.port(),
                                       " user=", connection.username(), " dbname=", name);
        return std::unique_ptr<TestDatabase>(new TestDatabase(admin_dsn, name, std::move(dsn)));
      });
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection connection(admin_dsn_);
    pqxx::nontransaction(connection)
        .exec(absl::StrCat("DROP DATABASE IF EXISTS ", connection.quote_name(name_),
                           " WITH (FORCE)"));
  } catch (...) {
    // Leftovers vanish with the test cluster; never throw from a destructor.
  }
}

}  // namespace electrum::storage
