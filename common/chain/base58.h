// Base58 and Base58Check (double-SHA-256 checksum), as in Bitcoin addresses.
#ifndef ELECTRUM_COMMON_CHAIN_BASE58_H_
#define ELECTRUM_COMMON_CHAIN_BASE58_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/chain/bytes.h"

namespace electrum::chain {

// Longest input accepted for decoding: far above any address, small enough
// that the quadratic conversion stays cheap on hostile input.
inline constexpr size_t kMaxBase58Length = 128;

std::string Base58Encode(ByteSpan data);
absl::StatusOr<Bytes> Base58Decode(std::string_view text);

// Appends the 4-byte checksum before encoding.
std::string Base58CheckEncode(ByteSpan payload);
// Verifies and strips the checksum.
absl::StatusOr<Bytes> Base58CheckDecode(std::string_view text);

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_BASE58_H_
