// Builds regtest blocks the way Bitcoin Core's miner does: a version 2
// coinbase with the BIP 34 height, the subsidy plus fees to the given script,
// the BIP 141 witness commitment, the merkle root, and a nonce that meets the
// regtest target.
#ifndef ELECTRUM_TOOLS_SIMNODE_BLOCK_ASSEMBLER_H_
#define ELECTRUM_TOOLS_SIMNODE_BLOCK_ASSEMBLER_H_

#include <cstdint>
#include <vector>

#include "common/chain/bytes.h"
#include "common/chain/hash_types.h"
#include "tools/simnode/sim_coin.h"

namespace electrum::simnode {

// Regtest: 0x207fffff, halving every 150 blocks.
inline constexpr uint32_t kRegtestBits = 0x207fffff;
inline constexpr int kRegtestHalvingInterval = 150;
inline constexpr int64_t kCoin = 100000000;
inline constexpr int kCoinbaseMaturity = 100;

int64_t BlockSubsidy(int height);

struct BlockTemplate {
  chain::BlockHash prev_hash;
  int height = 0;
  uint32_t time = 0;
  chain::Bytes coinbase_script;
  // Serialized transactions in block order (parents before children).
  std::vector<chain::Bytes> transactions;
  int64_t fees = 0;
  // Block layout rules of the simulated coin (AuxPoW, segwit, Dash payload).
  const SimCoin* coin = &BitcoinSimCoin();
};

// The BIP 34 height push as Core writes it (OP_1..OP_16 for small heights).
chain::Bytes HeightScript(int height);

// Coinbase transaction bytes for the template: with the witness commitment
// over `wtxids` of the other transactions when segwit is active, as a DIP 2
// CbTx for Dash.
chain::Bytes BuildCoinbase(const BlockTemplate& block, const std::vector<chain::TxId>& wtxids);

// The whole block, with a nonce meeting kRegtestBits.
chain::Bytes AssembleBlock(const BlockTemplate& block);

// Bitcoin's regtest genesis block.
chain::Bytes RegtestGenesisBlock();

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_BLOCK_ASSEMBLER_H_
