// One received JSON-RPC message (a request, a notification or a batch of
// them) checked against spec §1.2–§1.4: dialect detection on the first
// message, id/method/params rules, empty and oversized batches, bounded
// nesting, UTF-8. Nothing leaves here unvalidated: each item is either a
// well-formed call or the error reply it deserves.
#ifndef ELECTRUM_GATEWAY_JSONRPC_MESSAGE_H_
#define ELECTRUM_GATEWAY_JSONRPC_MESSAGE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gateway/jsonrpc/rpc_error.h"
#include "nlohmann/json.hpp"

namespace electrum::gateway {

// Fixed by a connection's first message (§1.2).
enum class Dialect { kUndetermined, kLoose, kJsonRpc10, kJsonRpc20 };

struct ParseLimits {
  // Most members of one batch.
  size_t max_batch = 100;
  // Deepest nesting of arrays and objects (deeper input is refused before
  // parsing, so it cannot exhaust the stack).
  int max_depth = 32;
};

struct Call {
  // A number or a string; null for a notification.
  nlohmann::json id;
  bool notification = false;
  std::string method;
  // An array (positional) or an object (named); [] when absent.
  nlohmann::json params;
};

// An item that cannot be called: answered with `error` under `id` (null
// when the id itself was unusable).
struct Rejected {
  nlohmann::json id;
  RpcError error;
};

using MessageItem = std::variant<Call, Rejected>;

struct Message {
  bool batch = false;
  std::vector<MessageItem> items;
};

// Parses one framed message. `dialect` is set by the first message of a
// connection and then enforced. A message that is not JSON at all (or an
// empty batch) is a single Rejected item with a null id.
Message ParseMessage(std::string_view text, Dialect& dialect, const ParseLimits& limits);

// Compact JSON-RPC 2.0 replies and server notifications (§1.2: always 2.0
// form, `,`/`:` separators).
std::string EncodeResult(const nlohmann::json& id, const nlohmann::json& result);
// `result` is already valid compact JSON (large answers built as text).
std::string EncodeEncodedResult(const nlohmann::json& id, std::string_view result);
std::string EncodeError(const nlohmann::json& id, const RpcError& error);
std::string EncodeNotification(std::string_view method, const nlohmann::json& params);

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_JSONRPC_MESSAGE_H_
