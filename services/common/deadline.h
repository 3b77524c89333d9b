// A gRPC call's deadline as a PostgreSQL statement timeout, so a query never
// outlives the caller's patience.
#ifndef ELECTRUM_SERVICES_COMMON_DEADLINE_H_
#define ELECTRUM_SERVICES_COMMON_DEADLINE_H_

#include <chrono>
#include <cstdint>
#include <optional>

#include "grpcpp/server_context.h"

namespace electrum::services {

// Milliseconds left before `deadline` (at least 1), or nullopt when there
// is none (time_point::max(), or beyond a day). 0 when it has already
// passed.
inline std::optional<int64_t> MillisecondsUntil(std::chrono::system_clock::time_point deadline) {
  if (deadline == std::chrono::system_clock::time_point::max()) return std::nullopt;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::system_clock::now())
                        .count();
  if (left <= 0) return 0;
  // Beyond a day means "no deadline" for practical purposes.
  if (left > 86400000) return std::nullopt;
  return left;
}

// The same for a call's deadline; nullopt without a call.
inline std::optional<int64_t> MillisecondsLeft(const grpc::ServerContextBase* context) {
  if (context == nullptr) return std::nullopt;
  return MillisecondsUntil(context->deadline());
}

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_DEADLINE_H_
