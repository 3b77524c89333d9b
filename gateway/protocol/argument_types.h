// Typed values from JSON arguments with ElectrumX's validation texts (spec
// §3, common validators; answered with code 1 BAD_REQUEST). Hashes arrive
// as display-order hex.
#ifndef ELECTRUM_GATEWAY_PROTOCOL_ARGUMENT_TYPES_H_
#define ELECTRUM_GATEWAY_PROTOCOL_ARGUMENT_TYPES_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/hash_types.h"
#include "nlohmann/json.hpp"

namespace electrum::gateway {

// "<value> is not a valid script hash" unless 64 hex digits.
absl::StatusOr<chain::ScriptHash> ScriptHashArgument(const nlohmann::json& value);
// "<value> should be a transaction hash" unless 64 hex digits.
absl::StatusOr<chain::TxId> TxHashArgument(const nlohmann::json& value);
// Integer conversion as ElectrumX does it ("5", 5.9 → 5, true → 1);
// "<value> should be a non-negative integer" otherwise or when negative.
absl::StatusOr<uint64_t> NonNegativeIntegerArgument(const nlohmann::json& value);
// An even-length hex string without whitespace, decoded; "<value> should
// be a hex string" otherwise.
absl::StatusOr<std::vector<uint8_t>> HexStringArgument(const nlohmann::json& value);

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_PROTOCOL_ARGUMENT_TYPES_H_
