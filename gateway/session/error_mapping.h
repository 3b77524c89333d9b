// The one place where a handler's absl::Status becomes the JSON-RPC error a
// wallet sees (spec §1.5). Validation failures keep their texts; upstream
// failures stay confined to the request.
#ifndef ELECTRUM_GATEWAY_SESSION_ERROR_MAPPING_H_
#define ELECTRUM_GATEWAY_SESSION_ERROR_MAPPING_H_

#include "absl/status/status.h"
#include "gateway/jsonrpc/rpc_error.h"

namespace electrum::gateway {

// INVALID_ARGUMENT / FAILED_PRECONDITION / OUT_OF_RANGE → 1 with the text;
// RESOURCE_EXHAUSTED "history too large…" → 10001 "history too large";
// DEADLINE_EXCEEDED → -102; NOT_FOUND / UNAVAILABLE (the node or a service)
// → 2 "daemon error: …"; anything else → -32603 "internal server error".
RpcError RpcErrorFromStatus(const absl::Status& status);

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SESSION_ERROR_MAPPING_H_
