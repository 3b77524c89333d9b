#include "storage/pg/pooled_session.h"

#include <string>

#include "pqxx/pqxx"
#include "storage/pg/pg_status.h"

namespace electrum::storage {

absl::Status WithPooledSession(ConnectionPool& pool, std::optional<int64_t> milliseconds_left,
                               const char* what,
                               absl::FunctionRef<absl::Status(pqxx::transaction_base&)> body) {
  if (milliseconds_left && *milliseconds_left <= 0) {
    return absl::DeadlineExceededError(std::string(what) + ": deadline passed before the query");
  }
  absl::StatusOr<PooledConnection> connection = pool.Acquire();
  if (!connection.ok()) return connection.status();
  absl::Status status = RunGuarded(what, [&]() -> absl::Status {
    if (!milliseconds_left) {
      pqxx::nontransaction session(**connection);
      return body(session);
    }
    pqxx::read_transaction session(**connection);
    session.exec("SET LOCAL statement_timeout = " + std::to_string(*milliseconds_left));
    return body(session);
  });
  // A lost connection, or an error libpqxx could not classify: the
  // connection may be mid-protocol, so the pool opens a fresh one.
  if (status.code() == absl::StatusCode::kUnavailable ||
      status.code() == absl::StatusCode::kInternal) {
    connection->MarkBroken();
  }
  return status;
}

}  // namespace electrum::storage
