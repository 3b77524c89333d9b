#include "common/crypto/hex.h"

#include <array>

#include "absl/strings/str_cat.h"

namespace electrum {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

// Nibble values by character; -1 for anything that is not a hex digit.
constexpr std::array<int8_t, 256> kNibbles = [] {
  std::array<int8_t, 256> table{};
  table.fill(-1);
  for (int c = '0'; c <= '9'; ++c) table[c] = static_cast<int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) table[c] = static_cast<int8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) table[c] = static_cast<int8_t>(c - 'A' + 10);
  return table;
}();

int NibbleValue(char c) { return kNibbles[static_cast<uint8_t>(c)]; }

}  // namespace

std::string ToHex(std::span<const uint8_t> bytes) {
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
  return out;
}

absl::StatusOr<std::vector<uint8_t>> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return absl::InvalidArgumentError(absl::StrCat("hex string has odd length ", hex.size()));
  }
  std::vector<uint8_t> out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int high = NibbleValue(hex[2 * i]);
    int low = NibbleValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("non-hex character at offset ", high < 0 ? 2 * i : 2 * i + 1));
    }
    out[i] = static_cast<uint8_t>((high << 4) | low);
  }
  return out;
}

}  // namespace electrum
