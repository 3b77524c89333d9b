#include "storage/pg/pooled_session.h"

#include <string>

#include "pqxx/pqxx"
#include "storage/pg/pg_status.h"

namespace electrum::storage {
namespace {

constexpr char kStatementTimeout[] = "statement_timeout";

// Runs `run` on a pooled connection under RunGuarded; a connection left in
// doubt is replaced.
absl::Status OnPooledConnection(ConnectionPool& pool, std::optional<int64_t> milliseconds_left,
                                const char* what,
                                absl::FunctionRef<absl::Status(pqxx::connection_base&)> run) {
  if (milliseconds_left && *milliseconds_left <= 0) {
    return absl::DeadlineExceededError(std::string(what) + ": deadline passed before the query");
  }
  absl::StatusOr<PooledConnection> connection = pool.Acquire();
  if (!connection.ok()) return connection.status();
  absl::Status status = RunGuarded(what, [&] { return run(**connection); });
  // A lost connection, or an error libpqxx could not classify: the
  // connection may be mid-protocol, so the pool opens a fresh one.
  if (status.code() == absl::StatusCode::kUnavailable ||
      status.code() == absl::StatusCode::kInternal) {
    connection->MarkBroken();
  }
  return status;
}

// The session's statement_timeout in ms (0: none), from libpqxx's copy of
// what was set (a SHOW the first time on a connection).
int64_t SessionTimeout(pqxx::connection_base& connection) {
  const std::string value = connection.get_variable(kStatementTimeout);
  try {
    return std::stoll(value);  // what set_variable stored: plain milliseconds
  } catch (const std::exception&) {
    return -1;  // SHOW's "30s" form: not ours, set it
  }
}

void KeepSessionTimeout(pqxx::connection_base& connection,
                        std::optional<int64_t> milliseconds_left) {
  const int64_t current = SessionTimeout(connection);
  if (!milliseconds_left) {
    if (current != 0) connection.set_variable(kStatementTimeout, "0");
    return;
  }
  const int64_t left = *milliseconds_left;
  if (current > 0 && current <= left && current >= left - left / 8) return;
  connection.set_variable(kStatementTimeout, std::to_string(left));
}

}  // namespace

absl::Status WithPooledSession(ConnectionPool& pool, std::optional<int64_t> milliseconds_left,
                               const char* what,
                               absl::FunctionRef<absl::Status(pqxx::transaction_base&)> body) {
  return OnPooledConnection(
      pool, milliseconds_left, what, [&](pqxx::connection_base& connection) -> absl::Status {
        if (!milliseconds_left) {
          KeepSessionTimeout(connection, std::nullopt);
          pqxx::nontransaction session(connection);
          return body(session);
        }
        pqxx::read_transaction session(connection);
        session.exec("SET LOCAL statement_timeout = " + std::to_string(*milliseconds_left));
        return body(session);
      });
}

absl::Status WithPooledStatements(ConnectionPool& pool, std::optional<int64_t> milliseconds_left,
                                  const char* what,
                                  absl::FunctionRef<absl::Status(pqxx::transaction_base&)> body) {
  return OnPooledConnection(pool, milliseconds_left, what,
                            [&](pqxx::connection_base& connection) -> absl::Status {
                              KeepSessionTimeout(connection, milliseconds_left);
                              pqxx::nontransaction session(connection);
                              return body(session);
                            });
}

}  // namespace electrum::storage
