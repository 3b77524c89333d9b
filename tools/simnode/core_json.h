// Bitcoin Core's JSON shapes for transactions, headers and blocks
// (getrawtransaction verbose, getblockheader, getblock verbosity 1 and 2).
#ifndef ELECTRUM_TOOLS_SIMNODE_CORE_JSON_H_
#define ELECTRUM_TOOLS_SIMNODE_CORE_JSON_H_

#include <cstdint>

#include "common/chain/coins.h"
#include "nlohmann/json.hpp"
#include "tools/simnode/chain.h"

namespace electrum::simnode {

// Satoshis as Core prints amounts: a number of coins with 8 decimals.
double Amount(int64_t satoshis);

// Difficulty relative to the minimum (regtest's 0x207fffff is 4.656542373906925e-10).
double Difficulty(uint32_t bits);

// Core's TxToUniv: txid, hash, version, size, vsize, weight, locktime, vin,
// vout, hex (when include_hex).
nlohmann::json TransactionJson(const Transaction& tx, bool include_hex,
                               const chain::AddressPrefixes& prefixes);

// getblockheader true.
nlohmann::json HeaderJson(const Chain& chain, const BlockEntry& entry);

// getblock 1 (txids) or 2 (decoded transactions) of `entry`, whose contents
// are `contents` (Chain::Contents).
nlohmann::json BlockJson(const Chain& chain, const BlockEntry& entry, const BlockContents& contents,
                         int verbosity, const chain::AddressPrefixes& prefixes);

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_CORE_JSON_H_
