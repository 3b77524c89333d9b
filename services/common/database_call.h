// How a gRPC handler reaches PostgreSQL: a pooled session bounded by the
// call's deadline (storage/pg/pooled_session.h), its status mapped once.
#ifndef ELECTRUM_SERVICES_COMMON_DATABASE_CALL_H_
#define ELECTRUM_SERVICES_COMMON_DATABASE_CALL_H_

#include <utility>

#include "common/grpc/status_conversion.h"
#include "grpcpp/server_context.h"
#include "services/common/deadline.h"
#include "storage/pg/pooled_session.h"

namespace electrum::services {

// `body(pqxx::transaction_base&)` returns an absl::Status.
template <typename Body>
grpc::Status WithDatabase(const grpc::ServerContextBase* context, storage::ConnectionPool& pool,
                          const char* what, Body&& body) {
  return ToGrpcStatus(
      storage::WithPooledSession(pool, MillisecondsLeft(context), what, std::forward<Body>(body)));
}

// The same for a body whose statements need no common snapshot (a single
// read): autocommit, one round trip per statement.
template <typename Body>
grpc::Status WithDatabaseStatements(const grpc::ServerContextBase* context,
                                    storage::ConnectionPool& pool, const char* what, Body&& body) {
  return ToGrpcStatus(storage::WithPooledStatements(pool, MillisecondsLeft(context), what,
                                                    std::forward<Body>(body)));
}

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_DATABASE_CALL_H_
