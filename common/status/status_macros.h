// Early-return helpers over absl::Status / absl::StatusOr.
#ifndef ELECTRUM_COMMON_STATUS_STATUS_MACROS_H_
#define ELECTRUM_COMMON_STATUS_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define ELECTRUM_STATUS_CONCAT_INNER(a, b) a##b
#define ELECTRUM_STATUS_CONCAT(a, b) ELECTRUM_STATUS_CONCAT_INNER(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                             \
  do {                                                    \
    ::absl::Status electrum_status_macro_status = (expr); \
    if (!electrum_status_macro_status.ok()) {             \
      return electrum_status_macro_status;                \
    }                                                     \
  } while (false)

// `ASSIGN_OR_RETURN(T x, StatusOr<T> expr);` declares or assigns `x` from the
// value of `expr`, or returns its status from the enclosing function.
#define ASSIGN_OR_RETURN(lhs, expr)                                                                \
  ELECTRUM_ASSIGN_OR_RETURN_IMPL(ELECTRUM_STATUS_CONCAT(electrum_status_macro_or_, __LINE__), lhs, \
                                 expr)

#define ELECTRUM_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  if (!statusor.ok()) {                                     \
    return std::move(statusor).status();                    \
  }                                                         \
  lhs = std::move(statusor).value()

#endif  // ELECTRUM_COMMON_STATUS_STATUS_MACROS_H_
