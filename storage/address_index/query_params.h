// Parameters and fields the address statements share: a script hash (and a
// limit) as parameters, many script hashes as one, a txid column.
#ifndef ELECTRUM_STORAGE_ADDRESS_INDEX_QUERY_PARAMS_H_
#define ELECTRUM_STORAGE_ADDRESS_INDEX_QUERY_PARAMS_H_

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/chain/hash_types.h"
#include "storage/pg/binary_query.h"

namespace electrum::storage::address_sql {

inline std::vector<QueryParam> Params(const chain::ScriptHash& scripthash) {
  return {QueryParam::Binary(scripthash.span())};
}

inline std::vector<QueryParam> Params(const chain::ScriptHash& scripthash, size_t limit) {
  return {QueryParam::Binary(scripthash.span()), QueryParam::Text(std::to_string(limit))};
}

// Many script hashes as one bytea parameter: 32 bytes each, in order (the
// statements number them with generate_series).
inline QueryParam ConcatenatedHashes(const std::vector<chain::ScriptHash>& scripthashes) {
  std::string packed;
  packed.reserve(scripthashes.size() * 32);
  for (const chain::ScriptHash& scripthash : scripthashes) {
    packed.append(reinterpret_cast<const char*>(scripthash.internal().data()), 32);
  }
  return QueryParam{std::move(packed), true};
}

inline chain::TxId TxIdAt(const BinaryRows& rows, int row, int column) {
  std::array<uint8_t, 32> internal{};
  auto bytes = rows.Bytes(row, column);
  if (bytes.size() == 32) std::copy(bytes.begin(), bytes.end(), internal.begin());
  return chain::TxId(internal);
}

inline absl::Status TooLarge(size_t max_entries) {
  return absl::ResourceExhaustedError(
      absl::StrCat("history too large: more than ", max_entries, " entries"));
}

}  // namespace electrum::storage::address_sql

#endif  // ELECTRUM_STORAGE_ADDRESS_INDEX_QUERY_PARAMS_H_
