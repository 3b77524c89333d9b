// Distinct 32-byte hash types. Bytes are held in serialization ("internal")
// order; the byte-reversed "display" hex that bitcoind and Electrum show is
// produced and parsed here and nowhere else.
#ifndef ELECTRUM_COMMON_CHAIN_HASH_TYPES_H_
#define ELECTRUM_COMMON_CHAIN_HASH_TYPES_H_

#include <algorithm>
#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "common/chain/bytes.h"

namespace electrum::chain {

template <typename Tag>
class Hash256 {
 public:
  static constexpr size_t kSize = 32;

  Hash256() { bytes_.fill(0); }
  explicit Hash256(const std::array<uint8_t, kSize>& internal) : bytes_(internal) {}

  // From 32 bytes in serialization order; anything else is an error.
  static absl::StatusOr<Hash256> FromInternal(ByteSpan internal);
  // From 64 hex characters in display (reversed) order.
  static absl::StatusOr<Hash256> FromDisplayHex(std::string_view hex);

  std::string ToDisplayHex() const;
  std::string ToInternalHex() const;

  const std::array<uint8_t, kSize>& internal() const { return bytes_; }
  ByteSpan span() const { return ByteSpan(bytes_); }
  bool IsZero() const {
    return std::all_of(bytes_.begin(), bytes_.end(), [](uint8_t b) { return b == 0; });
  }

  auto operator<=>(const Hash256&) const = default;

  template <typename H>
  friend H AbslHashValue(H state, const Hash256& hash) {
    return H::combine_contiguous(std::move(state), hash.bytes_.data(), kSize);
  }

 private:
  std::array<uint8_t, kSize> bytes_;
};

struct TxIdTag {};
struct BlockHashTag {};
struct ScriptHashTag {};
struct MerkleNodeTag {};

using TxId = Hash256<TxIdTag>;
using BlockHash = Hash256<BlockHashTag>;
// Electrum's script hash: sha256(scriptPubKey), displayed reversed.
using ScriptHash = Hash256<ScriptHashTag>;
// An interior node or root of a merkle tree.
using MerkleHash = Hash256<MerkleNodeTag>;

// Display-order hex helpers behind the template (defined in hash_types.cc).
absl::StatusOr<std::array<uint8_t, 32>> InternalFromDisplayHex(std::string_view hex);
std::string DisplayHexFromInternal(const std::array<uint8_t, 32>& internal);
std::string HexFromInternal(const std::array<uint8_t, 32>& internal);
absl::StatusOr<std::array<uint8_t, 32>> InternalFromSpan(ByteSpan internal);

template <typename Tag>
absl::StatusOr<Hash256<Tag>> Hash256<Tag>::FromInternal(ByteSpan internal) {
  auto bytes = InternalFromSpan(internal);
  if (!bytes.ok()) return bytes.status();
  return Hash256(*bytes);
}

template <typename Tag>
absl::StatusOr<Hash256<Tag>> Hash256<Tag>::FromDisplayHex(std::string_view hex) {
  auto bytes = InternalFromDisplayHex(hex);
  if (!bytes.ok()) return bytes.status();
  return Hash256(*bytes);
}

template <typename Tag>
std::string Hash256<Tag>::ToDisplayHex() const {
  return DisplayHexFromInternal(bytes_);
}

template <typename Tag>
std::string Hash256<Tag>::ToInternalHex() const {
  return HexFromInternal(bytes_);
}

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_HASH_TYPES_H_
