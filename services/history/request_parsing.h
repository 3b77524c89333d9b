// Request fields into typed values, and typed values back into bytes, the
// same way in every handler of the history service.
#ifndef ELECTRUM_SERVICES_HISTORY_REQUEST_PARSING_H_
#define ELECTRUM_SERVICES_HISTORY_REQUEST_PARSING_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/chain/hash_types.h"

namespace electrum::history {

inline absl::StatusOr<chain::ScriptHash> ParseScriptHash(const std::string& bytes) {
  auto parsed = chain::ScriptHash::FromInternal(
      chain::ByteSpan(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("script hash must be 32 bytes, got ", bytes.size()));
  }
  return parsed;
}

// A batched call's script hashes: at most `most` (RESOURCE_EXHAUSTED
// beyond), each 32 bytes.
template <typename Repeated>
absl::StatusOr<std::vector<chain::ScriptHash>> ParseScriptHashes(const Repeated& all, size_t most) {
  if (static_cast<size_t>(all.size()) > most) {
    return absl::ResourceExhaustedError(
        absl::StrCat(all.size(), " script hashes in one call; at most ", most));
  }
  std::vector<chain::ScriptHash> scripthashes;
  scripthashes.reserve(all.size());
  for (const std::string& bytes : all) {
    absl::StatusOr<chain::ScriptHash> scripthash = ParseScriptHash(bytes);
    if (!scripthash.ok()) return scripthash.status();
    scripthashes.push_back(*scripthash);
  }
  return scripthashes;
}

inline std::string Bytes(const std::array<uint8_t, 32>& bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace electrum::history

#endif  // ELECTRUM_SERVICES_HISTORY_REQUEST_PARSING_H_
