// The one way services run their reads: a pooled connection, the caller's
// deadline applied as statement_timeout, errors mapped by RunGuarded, and a
// connection that failed in a way that may leave it unusable replaced.
#ifndef ELECTRUM_STORAGE_PG_POOLED_SESSION_H_
#define ELECTRUM_STORAGE_PG_POOLED_SESSION_H_

#include <cstdint>
#include <optional>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "storage/pg/connection_pool.h"

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace electrum::storage {

// Runs `body` in a session on a pooled connection. With a deadline
// (`milliseconds_left`): a read-only transaction whose statements are
// bounded by SET LOCAL statement_timeout, and DEADLINE_EXCEEDED at once when
// 0 are left. Without one: autocommit statements, one round trip each.
// `what` names the work in errors ("reading history: ...").
absl::Status WithPooledSession(ConnectionPool& pool, std::optional<int64_t> milliseconds_left,
                               const char* what,
                               absl::FunctionRef<absl::Status(pqxx::transaction_base&)> body);

// The same for a body whose statements need no common snapshot (e.g. one
// read): autocommit statements, one round trip each, where a transaction
// costs three more (BEGIN, SET LOCAL, COMMIT). The deadline is the
// connection's session statement_timeout, set again only when it is past
// the time left or more than an eighth short of it.
absl::Status WithPooledStatements(ConnectionPool& pool, std::optional<int64_t> milliseconds_left,
                                  const char* what,
                                  absl::FunctionRef<absl::Status(pqxx::transaction_base&)> body);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_PG_POOLED_SESSION_H_
