// Binds a call's params (positional array or named object) to a method's
// parameter list, with aiorpcX's texts for wrong arity and names (spec
// §1.5). Failures are INVALID_ARGUMENT; the session answers them with
// JSON-RPC code -32602.
#ifndef ELECTRUM_GATEWAY_PROTOCOL_ARGUMENTS_H_
#define ELECTRUM_GATEWAY_PROTOCOL_ARGUMENTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace electrum::gateway {

struct ParameterList {
  // In positional order; the first `required` must be given.
  std::vector<std::string> names;
  size_t required = 0;
  // Extra positional or named arguments are ignored (server.version).
  bool ignore_extra = false;
};

// One value per parameter name, in order; optional ones not given are null.
absl::StatusOr<std::vector<nlohmann::json>> BindArguments(const std::string& method,
                                                          const ParameterList& parameters,
                                                          const nlohmann::json& params);

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_PROTOCOL_ARGUMENTS_H_
