// Builds unsigned-but-realistic transactions: simnode does not verify
// scripts, so inputs carry placeholder signatures of the right sizes (a
// 72-byte signature and a 33-byte key, in the witness for segwit spends).
#ifndef ELECTRUM_TOOLS_SIMNODE_TX_BUILDER_H_
#define ELECTRUM_TOOLS_SIMNODE_TX_BUILDER_H_

#include <cstdint>
#include <vector>

#include "common/chain/bytes.h"
#include "common/chain/standard_scripts.h"
#include "tools/simnode/chain.h"

namespace electrum::simnode {

struct TxOutputSpec {
  int64_t value = 0;
  Bytes script_pubkey;
};

struct TxInputSpec {
  Outpoint outpoint;
  // Witness placeholder (segwit spend) or scriptSig placeholder (legacy).
  bool segwit = true;
};

// Namecoin marks transactions with name operations by this version.
inline constexpr int32_t kNamecoinTxVersion = 0x7100;

// A generated transaction's vsize before it is built, to price its fee:
// a segwit-sized input and a P2WPKH-sized output each, plus the envelope.
inline int64_t EstimatedVsize(int64_t inputs, int64_t outputs) {
  return 11 + 68 * inputs + 34 * outputs;
}

Bytes BuildTransaction(const std::vector<TxInputSpec>& inputs,
                       const std::vector<TxOutputSpec>& outputs, uint32_t lock_time = 0,
                       int32_t version = 2);

// Standard output scripts from a 20- or 32-byte hash / key.
using chain::P2pkhScript;
using chain::P2shScript;
Bytes P2wpkhScript(const Bytes& hash160);
Bytes P2wshScript(const Bytes& hash256);
Bytes P2trScript(const Bytes& key32);
Bytes OpReturnScript(const Bytes& data);
// Namecoin name operations in front of an owner's script.
Bytes NameFirstUpdateScript(const Bytes& name, const Bytes& salt, const Bytes& value,
                            const Bytes& owner_script);
Bytes NameUpdateScript(const Bytes& name, const Bytes& value, const Bytes& owner_script);

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_TX_BUILDER_H_
