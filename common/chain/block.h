// Blocks: the 80-byte header, AuxPoW (merged-mining proof) and Xaya PoW data
// after it, the transactions, and Litecoin's MWEB extension block.
//
// A parsed Block views the bytes it was parsed from.
#ifndef ELECTRUM_COMMON_CHAIN_BLOCK_H_
#define ELECTRUM_COMMON_CHAIN_BLOCK_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/bytes.h"
#include "common/chain/hash_types.h"
#include "common/chain/transaction.h"

namespace electrum::chain {

inline constexpr size_t kHeaderSize = 80;

struct BlockHeader {
  int32_t version = 0;
  BlockHash prev_hash;
  MerkleHash merkle_root;
  uint32_t time = 0;
  uint32_t bits = 0;
  uint32_t nonce = 0;
  // The 80 bytes.
  ByteSpan raw;

  // SHA-256d of the 80 bytes. Only meaningful for coins whose block identity
  // hash is SHA-256d (see CoinParams::sha256d_block_hash).
  BlockHash Sha256dHash() const;
};

absl::StatusOr<BlockHeader> ParseHeader(ByteSpan data);

// A merged-mining proof: the parent chain's coinbase commits to this block.
struct AuxPow {
  Transaction parent_coinbase;
  BlockHash parent_block_hash;
  std::vector<MerkleHash> coinbase_branch;
  uint32_t coinbase_index = 0;
  std::vector<MerkleHash> chain_branch;
  uint32_t chain_index = 0;
  BlockHeader parent_header;
};

// How a coin lays out what follows the 80-byte header.
enum class PowDataFormat {
  kNone,
  // Namecoin, Dogecoin and kin: an AuxPow when version bit 8 is set.
  kAuxPowVersionBit,
  // Xaya: algorithm byte, bits, then an AuxPow (merge-mined) or an 80-byte
  // fake header (stand-alone).
  kXaya,
};

struct BlockFormat {
  PowDataFormat pow_data = PowDataFormat::kNone;
  TxFormat tx;
  // Litecoin: bytes after the transactions are the MWEB extension block.
  bool trailing_extension = false;
};

struct Block {
  BlockHeader header;
  std::optional<AuxPow> auxpow;
  // Header plus PoW data: what ElectrumX serves for AuxPoW coins.
  ByteSpan full_header;
  std::vector<Transaction> transactions;
  // Litecoin MWEB extension block (empty elsewhere).
  ByteSpan extension;
  ByteSpan raw;
};

absl::StatusOr<Block> ParseBlock(ByteSpan data, const BlockFormat& format);

Bytes SerializeBlock(const Block& block);

// What follows the 80-byte header (AuxPoW, Xaya PoW data); empty elsewhere.
inline ByteSpan PowData(const Block& block) {
  return block.full_header.size() > kHeaderSize ? block.full_header.subspan(kHeaderSize)
                                                : ByteSpan();
}

// Merkle root of the block's txids (Bitcoin's odd-duplicate rule).
MerkleHash ComputeMerkleRoot(const Block& block);

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_BLOCK_H_
