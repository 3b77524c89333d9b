#include "common/chain/hash_types.h"

#include "absl/strings/str_cat.h"
#include "common/crypto/hex.h"

namespace electrum::chain {

absl::StatusOr<std::array<uint8_t, 32>> InternalFromSpan(ByteSpan internal) {
  if (internal.size() != 32) {
    return absl::InvalidArgumentError(absl::StrCat("a hash is 32 bytes, got ", internal.size()));
  }
  std::array<uint8_t, 32> bytes;
  std::copy(internal.begin(), internal.end(), bytes.begin());
  return bytes;
}

absl::StatusOr<std::array<uint8_t, 32>> InternalFromDisplayHex(std::string_view hex) {
  if (hex.size() != 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("a hash is 64 hex characters, got ", hex.size()));
  }
  auto decoded = FromHex(hex);
  if (!decoded.ok()) return decoded.status();
  std::array<uint8_t, 32> bytes;
  std::reverse_copy(decoded->begin(), decoded->end(), bytes.begin());
  return bytes;
}

std::string DisplayHexFromInternal(const std::array<uint8_t, 32>& internal) {
  std::array<uint8_t, 32> reversed;
  std::reverse_copy(internal.begin(), internal.end(), reversed.begin());
  return ToHex(reversed);
}

std::string HexFromInternal(const std::array<uint8_t, 32>& internal) { return ToHex(internal); }

}  // namespace electrum::chain
