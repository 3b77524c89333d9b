// JSON-RPC and Electrum error codes (spec §1.5) and the error value a
// request fails with.
#ifndef ELECTRUM_GATEWAY_JSONRPC_RPC_ERROR_H_
#define ELECTRUM_GATEWAY_JSONRPC_RPC_ERROR_H_

#include <string>

namespace electrum::gateway {

enum class RpcErrorCode : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidArgs = -32602,
  kInternalError = -32603,
  kExcessiveResourceUsage = -101,
  kServerBusy = -102,
  kBadRequest = 1,
  kDaemonError = 2,
  kHistoryTooLong = 10001,
};

struct RpcError {
  RpcErrorCode code;
  std::string message;

  friend bool operator==(const RpcError&, const RpcError&) = default;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_JSONRPC_RPC_ERROR_H_
