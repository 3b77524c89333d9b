#include "common/crypto/sha256.h"

namespace electrum {

// The low-level SHA256_* calls are deprecated in OpenSSL 3 in favour of EVP,
// but EVP's per-call context allocation costs more than hashing an 80-byte
// header; these remain supported and use the same accelerated code.

Sha256Digest Sha256(std::span<const uint8_t> data) {
  Sha256Digest digest;
  SHA256(data.data(), data.size(), digest.data());
  return digest;
}

Sha256Digest Sha256d(std::span<const uint8_t> data) {
  Sha256Digest first = Sha256(data);
  return Sha256(first);
}

Sha256Digest Sha256dHasher::Finish() {
  Sha256Digest first;
  SHA256_Final(first.data(), &context_);
  return Sha256(first);
}

}  // namespace electrum
