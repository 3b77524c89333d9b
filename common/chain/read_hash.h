// Reads a 32-byte hash of any kind from a ByteReader (zero on error; the
// reader records why).
#ifndef ELECTRUM_COMMON_CHAIN_READ_HASH_H_
#define ELECTRUM_COMMON_CHAIN_READ_HASH_H_

#include <array>
#include <cstring>

#include "common/chain/byte_reader.h"
#include "common/chain/hash_types.h"

namespace electrum::chain {

template <typename Hash>
Hash ReadHash(ByteReader& reader) {
  ByteSpan bytes = reader.ReadBytes(32);
  std::array<uint8_t, 32> internal{};
  if (reader.ok()) std::memcpy(internal.data(), bytes.data(), 32);
  return Hash(internal);
}

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_READ_HASH_H_
