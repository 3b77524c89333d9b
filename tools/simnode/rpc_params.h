// Positional or named JSON-RPC parameters, read with Bitcoin Core's error
// codes and messages.
#ifndef ELECTRUM_TOOLS_SIMNODE_RPC_PARAMS_H_
#define ELECTRUM_TOOLS_SIMNODE_RPC_PARAMS_H_

#include <optional>
#include <string>
#include <vector>

#include "common/chain/hash_types.h"
#include "nlohmann/json.hpp"

namespace electrum::simnode {

// Core's RPC error codes.
inline constexpr int kRpcMiscError = -1;
inline constexpr int kRpcTypeError = -3;
inline constexpr int kRpcInvalidAddressOrKey = -5;
inline constexpr int kRpcInvalidParameter = -8;
inline constexpr int kRpcDeserializationError = -22;
inline constexpr int kRpcInWarmup = -28;
inline constexpr int kRpcInvalidRequest = -32600;
inline constexpr int kRpcMethodNotFound = -32601;
inline constexpr int kRpcParseError = -32700;

struct RpcError {
  int code;
  std::string message;
};

// Thrown by parameter accessors and caught by the dispatcher, so handlers
// read like Core's: one line per parameter.
struct RpcException {
  RpcError error;
};

[[noreturn]] inline void ThrowRpcError(int code, std::string message) {
  throw RpcException{{code, std::move(message)}};
}

class RpcParams {
 public:
  // `names` in positional order; `params` is an array, an object or null.
  RpcParams(const nlohmann::json& params, std::vector<std::string> names);

  bool Has(size_t index) const;
  const nlohmann::json& Get(size_t index) const;

  int64_t Int(size_t index, std::optional<int64_t> fallback = std::nullopt) const;
  bool Bool(size_t index, std::optional<bool> fallback = std::nullopt) const;
  std::string String(size_t index, std::optional<std::string> fallback = std::nullopt) const;
  // 64 hex digits in display order; Core's "<name> must be of length 64" etc.
  chain::TxId TxId(size_t index) const;
  chain::BlockHash BlockHash(size_t index) const;

 private:
  [[noreturn]] void Missing(size_t index) const;
  std::array<uint8_t, 32> Hash(size_t index) const;

  std::vector<nlohmann::json> values_;
  std::vector<std::string> names_;
};

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_RPC_PARAMS_H_
