// A block's txids back to back in block order, as block_txids keeps them
// (32 bytes each, serialization order).
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_PACKED_TXIDS_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_PACKED_TXIDS_H_

#include <cstdint>
#include <vector>

#include "common/chain/block.h"

namespace electrum::storage {

std::vector<uint8_t> PackedTxids(const chain::Block& block);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_PACKED_TXIDS_H_
