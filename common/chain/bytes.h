// Byte buffer vocabulary shared by the chain code.
#ifndef ELECTRUM_COMMON_CHAIN_BYTES_H_
#define ELECTRUM_COMMON_CHAIN_BYTES_H_

#include <cstdint>
#include <span>
#include <vector>

namespace electrum::chain {

using Bytes = std::vector<uint8_t>;
// A view into bytes owned elsewhere (parsed structures view their input).
using ByteSpan = std::span<const uint8_t>;

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_BYTES_H_
