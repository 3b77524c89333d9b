// Lowercase hexadecimal encoding, in byte order (no reversal; display-order
// hashes are the chain types' concern).
#ifndef ELECTRUM_COMMON_CRYPTO_HEX_H_
#define ELECTRUM_COMMON_CRYPTO_HEX_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace electrum {

std::string ToHex(std::span<const uint8_t> bytes);

// Accepts upper and lower case; odd length or a non-hex character is an
// InvalidArgument error that says where.
absl::StatusOr<std::vector<uint8_t>> FromHex(std::string_view hex);

}  // namespace electrum

#endif  // ELECTRUM_COMMON_CRYPTO_HEX_H_
