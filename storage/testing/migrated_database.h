// For *_pgtest tests: a fresh test database with the whole schema applied.
#ifndef ELECTRUM_STORAGE_TESTING_MIGRATED_DATABASE_H_
#define ELECTRUM_STORAGE_TESTING_MIGRATED_DATABASE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/testing/test_database.h"

namespace electrum::storage {

absl::StatusOr<std::unique_ptr<TestDatabase>> CreateMigratedTestDatabase(absl::string_view prefix);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_TESTING_MIGRATED_DATABASE_H_
