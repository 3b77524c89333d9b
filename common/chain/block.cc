#include "common/chain/block.h"

#include "common/chain/byte_reader.h"
#include "common/chain/byte_writer.h"
#include "common/chain/merkle.h"
#include "common/chain/read_hash.h"
#include "common/crypto/sha256.h"

namespace electrum::chain {
namespace {

constexpr int32_t kAuxPowVersionBit = 1 << 8;
constexpr uint8_t kXayaMergeMinedBit = 0x80;
// Smallest serialized transaction: version, two counts, one input, lock time.
constexpr size_t kMinTransactionSize = 4 + 1 + 41 + 1 + 4;

BlockHeader ReadHeader(ByteReader& reader) {
  BlockHeader header;
  const size_t start = reader.position();
  header.version = reader.ReadI32();
  header.prev_hash = ReadHash<BlockHash>(reader);
  header.merkle_root = ReadHash<MerkleHash>(reader);
  header.time = reader.ReadU32();
  header.bits = reader.ReadU32();
  header.nonce = reader.ReadU32();
  if (reader.ok()) header.raw = reader.SpanFrom(start);
  return header;
}

std::vector<MerkleHash> ReadBranch(ByteReader& reader, uint32_t* index) {
  std::vector<MerkleHash> branch(reader.ReadCount(32));
  for (MerkleHash& hash : branch) hash = ReadHash<MerkleHash>(reader);
  *index = reader.ReadU32();
  return branch;
}

AuxPow ReadAuxPow(ByteReader& reader, const TxFormat& tx_format) {
  AuxPow auxpow;
  auxpow.parent_coinbase = ReadTransaction(reader, tx_format);
  auxpow.parent_block_hash = ReadHash<BlockHash>(reader);
  auxpow.coinbase_branch = ReadBranch(reader, &auxpow.coinbase_index);
  auxpow.chain_branch = ReadBranch(reader, &auxpow.chain_index);
  auxpow.parent_header = ReadHeader(reader);
  return auxpow;
}

void ReadPowData(ByteReader& reader, const BlockFormat& format, Block& block) {
  switch (format.pow_data) {
    case PowDataFormat::kNone:
      return;
    case PowDataFormat::kAuxPowVersionBit:
      if (block.header.version & kAuxPowVersionBit) block.auxpow = ReadAuxPow(reader, {});
      return;
    case PowDataFormat::kXaya: {
      uint8_t algorithm = reader.ReadU8();
      reader.ReadU32();  // the PoW target bits
      if (algorithm & kXayaMergeMinedBit) {
        block.auxpow = ReadAuxPow(reader, {});
      } else {
        ReadHeader(reader);  // the fake header whose hash carries the work
      }
      return;
    }
  }
}

}  // namespace

BlockHash BlockHeader::Sha256dHash() const { return BlockHash(Sha256d(raw)); }

absl::StatusOr<BlockHeader> ParseHeader(ByteSpan data) {
  ByteReader reader(data);
  BlockHeader header = ReadHeader(reader);
  if (reader.ok() && !reader.AtEnd()) reader.Fail("a header is exactly 80 bytes");
  if (!reader.ok()) return reader.status();
  return header;
}

absl::StatusOr<Block> ParseBlock(ByteSpan data, const BlockFormat& format) {
  ByteReader reader(data);
  Block block;
  block.header = ReadHeader(reader);
  ReadPowData(reader, format, block);
  block.full_header = reader.SpanFrom(0);
  block.transactions.resize(reader.ReadCount(kMinTransactionSize));
  if (reader.ok() && block.transactions.empty())
    reader.Fail("a block has at least one transaction");
  for (Transaction& tx : block.transactions) {
    tx = ReadTransaction(reader, format.tx);
    if (!reader.ok()) break;
  }
  if (format.trailing_extension) {
    block.extension = reader.ReadBytes(reader.remaining());
  } else if (reader.ok() && !reader.AtEnd()) {
    reader.Fail("trailing bytes after the last transaction");
  }
  if (!reader.ok()) return reader.status();
  block.raw = data;
  return block;
}

Bytes SerializeBlock(const Block& block) {
  Bytes out;
  out.reserve(block.raw.size());
  ByteWriter writer(&out);
  writer.WriteBytes(block.full_header);
  writer.WriteCompactSize(block.transactions.size());
  for (const Transaction& tx : block.transactions) writer.WriteBytes(SerializeTransaction(tx));
  writer.WriteBytes(block.extension);
  return out;
}

MerkleHash ComputeMerkleRoot(const Block& block) {
  std::vector<MerkleHash> leaves;
  leaves.reserve(block.transactions.size());
  for (const Transaction& tx : block.transactions) leaves.emplace_back(tx.txid.internal());
  return MerkleRoot(leaves);
}

}  // namespace electrum::chain
