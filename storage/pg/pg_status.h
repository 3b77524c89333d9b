// Turns libpqxx exceptions into absl::Status at the storage boundary, so
// nothing above storage/ sees an exception from the database.
#ifndef ELECTRUM_STORAGE_PG_PG_STATUS_H_
#define ELECTRUM_STORAGE_PG_PG_STATUS_H_

#include <exception>
#include <type_traits>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace electrum::storage {

// Maps the exception currently being handled. `what` names the operation,
// e.g. "applying migration 3"; it prefixes the message.
//   broken connection, shutdown, too many connections -> UNAVAILABLE
//   serialization failure / deadlock                  -> ABORTED (retryable)
//   statement timeout (query_canceled)                -> DEADLINE_EXCEEDED
//   unique or foreign-key violation                   -> ALREADY_EXISTS / FAILED_PRECONDITION
//   anything else                                     -> INTERNAL
absl::Status StatusFromCurrentException(absl::string_view what);

// The status code for a server error's SQLSTATE (as above).
absl::StatusCode CodeForSqlState(absl::string_view sqlstate);

// Runs `body` and converts any exception it throws. `body` returns
// absl::Status or absl::StatusOr<T>.
template <typename Body>
auto RunGuarded(absl::string_view what, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (...) {
    return StatusFromCurrentException(what);
  }
}

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_PG_PG_STATUS_H_
