#include "common/crypto/base64.h"

#include <cstdint>

namespace electrum {

std::string Base64Encode(std::string_view plain) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((plain.size() + 2) / 3 * 4);
  for (size_t i = 0; i < plain.size(); i += 3) {
    uint32_t chunk = static_cast<uint8_t>(plain[i]) << 16;
    if (i + 1 < plain.size()) chunk |= static_cast<uint8_t>(plain[i + 1]) << 8;
    if (i + 2 < plain.size()) chunk |= static_cast<uint8_t>(plain[i + 2]);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < plain.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < plain.size() ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

}  // namespace electrum
