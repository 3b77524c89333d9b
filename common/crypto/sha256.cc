#include "common/crypto/sha256.h"

#include <openssl/sha.h>

namespace electrum {

Sha256Digest Sha256(std::span<const uint8_t> data) {
  Sha256Digest digest;
  // The one-shot call cannot fail for in-memory input.
  SHA256(data.data(), data.size(), digest.data());
  return digest;
}

}  // namespace electrum
