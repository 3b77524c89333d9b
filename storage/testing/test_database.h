// For *_pgtest tests: a fresh database on the test cluster, dropped when the
// object goes away. The cluster comes from ELECTRUM_TEST_PG_DSN, which
// tools/test.sh sets after starting the project's own PostgreSQL.
#ifndef ELECTRUM_STORAGE_TESTING_TEST_DATABASE_H_
#define ELECTRUM_STORAGE_TESTING_TEST_DATABASE_H_

#include <memory>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace electrum::storage {

inline constexpr char kTestClusterEnvironmentVariable[] = "ELECTRUM_TEST_PG_DSN";

class TestDatabase {
 public:
  // Creates "<prefix>_<pid>_<n>". Fails (never skips) when the cluster is not
  // configured: a test that needs PostgreSQL must not pass without it.
  static absl::StatusOr<std::unique_ptr<TestDatabase>> Create(absl::string_view prefix);

  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  // libpq key=value connection string for this database.
  const std::string& dsn() const { return dsn_; }

 private:
  TestDatabase(std::string admin_dsn, std::string name, std::string dsn)
      : admin_dsn_(std::move(admin_dsn)), name_(std::move(name)), dsn_(std::move(dsn)) {}

  std::string admin_dsn_;
  std::string name_;
  std::string dsn_;
};

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_TESTING_TEST_DATABASE_H_
