#include "storage/pg/advisory_lock.h"

#include "pqxx/pqxx"
#include "storage/pg/pg_status.h"

namespace electrum::storage {

absl::StatusOr<bool> TryTakeAdvisoryLock(pqxx::connection_base& connection, long long key) {
  return RunGuarded("taking an advisory lock", [&]() -> absl::StatusOr<bool> {
    pqxx::nontransaction transaction(connection);
    return transaction.exec_params1("SELECT pg_try_advisory_lock($1)", key)[0].as<bool>();
  });
}

}  // namespace electrum::storage
