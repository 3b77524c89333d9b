// SHA-256 through OpenSSL (which picks SHA-NI / AVX2 code paths at run time).
#ifndef ELECTRUM_COMMON_CRYPTO_SHA256_H_
#define ELECTRUM_COMMON_CRYPTO_SHA256_H_

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace electrum {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::span<const uint8_t> data);

inline Sha256Digest Sha256(std::string_view data) {
  return Sha256(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

}  // namespace electrum

#endif  // ELECTRUM_COMMON_CRYPTO_SHA256_H_
