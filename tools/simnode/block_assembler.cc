#include "tools/simnode/block_assembler.h"

#include "common/chain/byte_writer.h"
#include "common/chain/merkle.h"
#include "common/chain/transaction.h"
#include "common/crypto/hex.h"
#include "common/crypto/sha256.h"

namespace electrum::simnode {
namespace {

using chain::Bytes;
using chain::ByteWriter;

constexpr int32_t kBlockVersion = 0x20000000;
constexpr uint8_t kOpReturn = 0x6a;
// BIP 141 commitment header: 0xaa21a9ed.
constexpr uint8_t kCommitmentHeader[] = {0xaa, 0x21, 0xa9, 0xed};

// Regtest genesis: header fields from chainparams and Satoshi's coinbase.
constexpr char kGenesisHeaderHex[] =
    "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac7"
    "2c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4adae5494dffff7f2002000000";
constexpr char kGenesisCoinbaseHex[] =
    "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff00"
    "1d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b20"
    "6f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afd"
    "b0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c"
    "384df7ba0b8d578a4c702b6bf11d5fac00000000";

bool MeetsRegtestTarget(const Sha256Digest& hash) {
  // Target 0x7fffff << 232: the most significant byte (last in serialization
  // order) must be at most 0x7f; the rest of the target is all ones.
  return hash[31] <= 0x7f;
}

// Sets the nonce of the 80-byte header at `header` (inside `bytes`) to the
// first value whose hash meets the regtest target.
void GrindNonce(Bytes& bytes, size_t header) {
  for (uint32_t nonce = 0;; ++nonce) {
    for (int i = 0; i < 4; ++i) bytes[header + 76 + i] = static_cast<uint8_t>(nonce >> (8 * i));
    if (MeetsRegtestTarget(Sha256d(chain::ByteSpan(bytes.data() + header, 80)))) return;
  }
}

}  // namespace

int64_t BlockSubsidy(int height) {
  int halvings = height / kRegtestHalvingInterval;
  if (halvings >= 64) return 0;
  return (50 * kCoin) >> halvings;
}

Bytes HeightScript(int height) {
  Bytes script;
  if (height == 0) {
    script.push_back(0x00);
  } else if (height <= 16) {
    script.push_back(static_cast<uint8_t>(0x50 + height));
  } else {
    Bytes number;
    for (int64_t value = height; value > 0; value >>= 8) {
      number.push_back(static_cast<uint8_t>(value & 0xff));
    }
    if (number.back() & 0x80) number.push_back(0);  // keep it positive
    script.push_back(static_cast<uint8_t>(number.size()));
    script.insert(script.end(), number.begin(), number.end());
  }
  return script;
}

namespace {

constexpr uint16_t kDashCbTxType = 5;
constexpr uint16_t kDashCbTxPayloadVersion = 2;
constexpr int32_t kAuxPowVersionFlag = 0x100;
// Base version of AuxPoW blocks (Namecoin requires it below the flag).
constexpr int32_t kAuxPowBaseVersion = 4;
// Merged-mining marker in the parent coinbase.
constexpr uint8_t kMergedMiningMagic[] = {0xfa, 0xbe, 0x6d, 0x6d};

Bytes CommitmentScript(const std::vector<chain::TxId>& wtxids) {
  // Witness merkle root: the coinbase's wtxid counts as zero.
  std::vector<chain::MerkleHash> leaves = {chain::MerkleHash()};
  for (const chain::TxId& wtxid : wtxids) leaves.emplace_back(wtxid.internal());
  chain::MerkleHash witness_root = chain::MerkleRoot(leaves);
  uint8_t preimage[64] = {};
  std::copy(witness_root.internal().begin(), witness_root.internal().end(), preimage);
  Sha256Digest commitment = Sha256d(preimage);
  Bytes script = {kOpReturn, 0x24};
  script.insert(script.end(), std::begin(kCommitmentHeader), std::end(kCommitmentHeader));
  script.insert(script.end(), commitment.begin(), commitment.end());
  return script;
}

Bytes DashCbTxPayload(int height) {
  Bytes payload;
  ByteWriter writer(&payload);
  writer.WriteU16(kDashCbTxPayloadVersion);
  writer.WriteU32(static_cast<uint32_t>(height));
  writer.WriteBytes(Bytes(32, 0));  // merkleRootMNList: no masternodes
  writer.WriteBytes(Bytes(32, 0));  // merkleRootQuorums: no quorums
  return payload;
}

// A parent block whose coinbase commits to `block_hash`, mined to the
// regtest target: the proof of work of an AuxPoW block.
Bytes AuxPowFor(const chain::BlockHash& block_hash, uint32_t time) {
  Bytes script_sig(std::begin(kMergedMiningMagic), std::end(kMergedMiningMagic));
  // The aux chain's merkle root in display order, tree size 1, nonce 0.
  script_sig.insert(script_sig.end(), block_hash.internal().rbegin(), block_hash.internal().rend());
  for (uint8_t byte : {1, 0, 0, 0, 0, 0, 0, 0}) script_sig.push_back(byte);
  Bytes coinbase;
  ByteWriter tx(&coinbase);
  tx.WriteI32(1);
  tx.WriteCompactSize(1);
  tx.WriteBytes(Bytes(32, 0));
  tx.WriteU32(0xffffffff);
  tx.WriteVarBytes(script_sig);
  tx.WriteU32(0xffffffff);
  tx.WriteCompactSize(1);
  tx.WriteI64(0);
  tx.WriteVarBytes(Bytes{kOpReturn});
  tx.WriteU32(0);
  const Sha256Digest coinbase_txid = Sha256d(coinbase);

  Bytes out = coinbase;
  ByteWriter writer(&out);
  writer.WriteBytes(Bytes(32, 0));  // parent block hash (unused by verifiers)
  writer.WriteCompactSize(0);       // coinbase branch: the coinbase is the only tx
  writer.WriteU32(0);
  writer.WriteCompactSize(0);  // chain branch: a single merged chain
  writer.WriteU32(0);
  const size_t parent_header = out.size();
  writer.WriteI32(1);
  writer.WriteBytes(Bytes(32, 0));
  writer.WriteBytes(coinbase_txid);
  writer.WriteU32(time);
  writer.WriteU32(kRegtestBits);
  writer.WriteU32(0);
  GrindNonce(out, parent_header);
  return out;
}

}  // namespace

Bytes BuildCoinbase(const BlockTemplate& block, const std::vector<chain::TxId>& wtxids) {
  const SimCoin& coin = *block.coin;
  Bytes script_sig = HeightScript(block.height);
  script_sig.push_back(0x00);  // Core's extra nonce, OP_0

  Bytes out;
  ByteWriter writer(&out);
  if (coin.dash_coinbase_payload) {
    writer.WriteU32(static_cast<uint32_t>(kDashCbTxType) << 16 | 3);
  } else {
    writer.WriteI32(2);
  }
  if (coin.segwit) {
    writer.WriteU8(0);  // marker
    writer.WriteU8(1);  // flag
  }
  writer.WriteCompactSize(1);
  writer.WriteBytes(Bytes(32, 0));
  writer.WriteU32(0xffffffff);
  writer.WriteVarBytes(script_sig);
  writer.WriteU32(0xffffffff);
  writer.WriteCompactSize(coin.segwit ? 2 : 1);
  writer.WriteI64(BlockSubsidy(block.height) + block.fees);
  writer.WriteVarBytes(block.coinbase_script);
  if (coin.segwit) {
    writer.WriteI64(0);
    writer.WriteVarBytes(CommitmentScript(wtxids));
    // Witness: the 32-byte reserved value.
    writer.WriteCompactSize(1);
    writer.WriteVarBytes(Bytes(32, 0));
  }
  writer.WriteU32(0);
  if (coin.dash_coinbase_payload) writer.WriteVarBytes(DashCbTxPayload(block.height));
  return out;
}

Bytes AssembleBlock(const BlockTemplate& block) {
  const SimCoin& coin = *block.coin;
  const chain::TxFormat& format = coin.params->block_format.tx;
  std::vector<chain::Transaction> parsed;
  parsed.reserve(block.transactions.size());
  std::vector<chain::TxId> wtxids;
  for (const Bytes& raw : block.transactions) {
    parsed.push_back(chain::ParseTransaction(raw, format).value());
    wtxids.push_back(parsed.back().ComputeWtxid());
  }
  Bytes coinbase = BuildCoinbase(block, wtxids);
  std::vector<chain::MerkleHash> txids = {
      chain::MerkleHash(chain::ParseTransaction(coinbase, format).value().txid.internal())};
  for (const chain::Transaction& tx : parsed) txids.emplace_back(tx.txid.internal());
  chain::MerkleHash merkle_root = chain::MerkleRoot(txids);

  Bytes out;
  ByteWriter writer(&out);
  writer.WriteI32(coin.auxpow
                      ? kAuxPowBaseVersion | kAuxPowVersionFlag | (coin.auxpow_chain_id << 16)
                      : kBlockVersion);
  writer.WriteBytes(block.prev_hash.span());
  writer.WriteBytes(merkle_root.span());
  writer.WriteU32(block.time);
  writer.WriteU32(kRegtestBits);
  writer.WriteU32(0);
  if (coin.auxpow) {
    // The work is in the parent block; the header itself needs none.
    Bytes auxpow =
        AuxPowFor(chain::BlockHash(Sha256d(chain::ByteSpan(out.data(), 80))), block.time);
    writer.WriteBytes(auxpow);
  } else {
    GrindNonce(out, 0);
  }
  writer.WriteCompactSize(block.transactions.size() + 1);
  writer.WriteBytes(coinbase);
  for (const Bytes& raw : block.transactions) writer.WriteBytes(raw);
  return out;
}

Bytes RegtestGenesisBlock() {
  Bytes out = FromHex(kGenesisHeaderHex).value();
  out.push_back(1);
  Bytes coinbase = FromHex(kGenesisCoinbaseHex).value();
  out.insert(out.end(), coinbase.begin(), coinbase.end());
  return out;
}

}  // namespace electrum::simnode
