// SHA-256 and double SHA-256 through OpenSSL, which picks SHA-NI / AVX2 code
// paths at run time on CPUs that have them.
#ifndef ELECTRUM_COMMON_CRYPTO_SHA256_H_
#define ELECTRUM_COMMON_CRYPTO_SHA256_H_

#include <openssl/sha.h>

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

// SHA-256 of SHA-256: Bitcoin's txid, block hash and merkle node hash.
Sha256Digest Sha256d(std::span<const uint8_t> data);

// SHA-256 over pieces fed one at a time (a long preimage hashed as it is
// written, without holding all of it).
class Sha256Hasher {
 public:
  Sha256Hasher() { SHA256_Init(&context_); }
  Sha256Hasher& Add(std::span<const uint8_t> data) {
    SHA256_Update(&context_, data.data(), data.size());
    return *this;
  }
  Sha256Digest Finish();

 private:
  SHA256_CTX context_;
};

// SHA-256d over pieces fed one at a time (e.g. a segwit transaction's
// non-witness parts, without copying them together first).
class Sha256dHasher {
 public:
  Sha256dHasher() { SHA256_Init(&context_); }
  Sha256dHasher& Add(std::span<const uint8_t> data) {
    SHA256_Update(&context_, data.data(), data.size());
    return *this;
  }
  Sha256Digest Finish();

 private:
  SHA256_CTX context_;
};

}  // namespace electrum

#endif  // ELECTRUM_COMMON_CRYPTO_SHA256_H_
