#include "gateway/session/error_mapping.h"

#include <string>

#include "absl/strings/match.h"

namespace electrum::gateway {

RpcError RpcErrorFromStatus(const absl::Status& status) {
  const std::string message(status.message());
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return {RpcErrorCode::kBadRequest, message};
    case absl::StatusCode::kResourceExhausted:
      if (absl::StartsWith(message, "history too large")) {
        return {RpcErrorCode::kHistoryTooLong, "history too large"};
      }
      return {RpcErrorCode::kBadRequest, message};
    case absl::StatusCode::kDeadlineExceeded:
      return {RpcErrorCode::kServerBusy, "server busy - request timed out"};
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kUnavailable:
      return {RpcErrorCode::kDaemonError, "daemon error: " + message};
    default:
      return {RpcErrorCode::kInternalError, "internal server error"};
  }
}

}  // namespace electrum::gateway
