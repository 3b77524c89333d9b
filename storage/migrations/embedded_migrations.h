// The SQL migrations in this directory, compiled into the binary so a
// service applies exactly the schema it was built against.
#ifndef ELECTRUM_STORAGE_MIGRATIONS_EMBEDDED_MIGRATIONS_H_
#define ELECTRUM_STORAGE_MIGRATIONS_EMBEDDED_MIGRATIONS_H_

#include <string_view>
#include <vector>

namespace electrum::storage {

struct Migration {
  // From the file name: NNNN_name.sql.
  int version;
  std::string_view name;
  std::string_view sql;
};

// In file name order, which is version order.
const std::vector<Migration>& EmbeddedMigrations();

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_MIGRATIONS_EMBEDDED_MIGRATIONS_H_
