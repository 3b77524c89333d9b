#include "tools/simnode/core_json.h"

#include <cmath>
#include <cstdio>

#include "common/crypto/hex.h"
#include "tools/simnode/script_json.h"

namespace electrum::simnode {
namespace {

std::string VersionHex(int32_t version) {
  char text[9];
  std::snprintf(text, sizeof(text), "%08x", static_cast<uint32_t>(version));
  return text;
}

std::string BitsHex(uint32_t bits) {
  char text[9];
  std::snprintf(text, sizeof(text), "%08x", bits);
  return text;
}

// Total work of the chain up to `entry`, as 64 hex digits. Every regtest
// block has the same work (2 for 0x207fffff), so it is 2 * (height + 1).
std::string ChainWork(const BlockEntry& entry) {
  char text[65];
  std::snprintf(text, sizeof(text), "%064llx",
                static_cast<unsigned long long>(2) * (entry.height + 1));
  return text;
}

// Block size without witness data: each transaction's weight gives its
// stripped size as (weight - size) / 3.
size_t StrippedSize(const Block& block) {
  size_t size = block.raw.size();
  for (const Transaction& tx : block.transactions) {
    size -= tx.raw.size() - (tx.Weight() - tx.raw.size()) / 3;
  }
  return size;
}

}  // namespace

double Amount(int64_t satoshis) { return static_cast<double>(satoshis) / 1e8; }

double Difficulty(uint32_t bits) {
  int shift = (bits >> 24) & 0xff;
  double difficulty = static_cast<double>(0x0000ffff) / static_cast<double>(bits & 0x00ffffff);
  for (; shift < 29; ++shift) difficulty *= 256.0;
  for (; shift > 29; --shift) difficulty /= 256.0;
  return difficulty;
}

nlohmann::json TransactionJson(const Transaction& tx, bool include_hex,
                               const chain::AddressPrefixes& prefixes) {
  nlohmann::json out;
  out["txid"] = tx.txid.ToDisplayHex();
  out["hash"] = tx.ComputeWtxid().ToDisplayHex();
  out["version"] = tx.version;
  out["size"] = tx.raw.size();
  out["vsize"] = tx.VirtualSize();
  out["weight"] = tx.Weight();
  out["locktime"] = tx.lock_time;
  nlohmann::json inputs = nlohmann::json::array();
  for (const chain::TxInput& input : tx.inputs) {
    nlohmann::json in;
    if (tx.IsCoinbase()) {
      in["coinbase"] = ToHex(input.script_sig);
    } else {
      in["txid"] = input.prev_txid.ToDisplayHex();
      in["vout"] = input.prev_index;
      in["scriptSig"] = {{"asm", ScriptAsm(input.script_sig)}, {"hex", ToHex(input.script_sig)}};
    }
    if (!input.witness.empty()) {
      nlohmann::json witness = nlohmann::json::array();
      for (chain::ByteSpan item : input.witness) witness.push_back(ToHex(item));
      in["txinwitness"] = witness;
    }
    in["sequence"] = input.sequence;
    inputs.push_back(in);
  }
  out["vin"] = inputs;
  nlohmann::json outputs = nlohmann::json::array();
  for (size_t i = 0; i < tx.outputs.size(); ++i) {
    outputs.push_back({{"value", Amount(tx.outputs[i].value)},
                       {"n", i},
                       {"scriptPubKey", ScriptPubKeyJson(tx.outputs[i].script_pubkey, prefixes)}});
  }
  out["vout"] = outputs;
  if (include_hex) out["hex"] = ToHex(tx.raw);
  return out;
}

nlohmann::json HeaderJson(const Chain& chain, const BlockEntry& entry) {
  const chain::BlockHeader& header = entry.block.header;
  const bool active = chain.IsActive(&entry);
  nlohmann::json out;
  out["hash"] = entry.hash.ToDisplayHex();
  out["confirmations"] = active ? chain.Height() - entry.height + 1 : -1;
  out["height"] = entry.height;
  out["version"] = header.version;
  out["versionHex"] = VersionHex(header.version);
  out["merkleroot"] = header.merkle_root.ToDisplayHex();
  out["time"] = header.time;
  out["mediantime"] = chain.MedianTimePast(&entry);
  out["nonce"] = header.nonce;
  out["bits"] = BitsHex(header.bits);
  out["difficulty"] = Difficulty(header.bits);
  out["chainwork"] = ChainWork(entry);
  out["nTx"] = entry.tx_count;
  if (entry.parent != nullptr) out["previousblockhash"] = entry.parent->hash.ToDisplayHex();
  if (active && entry.height < chain.Height()) {
    out["nextblockhash"] = chain.AtHeight(entry.height + 1)->hash.ToDisplayHex();
  }
  return out;
}

nlohmann::json BlockJson(const Chain& chain, const BlockEntry& entry, const BlockContents& contents,
                         int verbosity, const chain::AddressPrefixes& prefixes) {
  nlohmann::json out = HeaderJson(chain, entry);
  const size_t stripped = StrippedSize(*contents.block);
  out["strippedsize"] = stripped;
  out["size"] = contents.raw.size();
  out["weight"] = stripped * 3 + contents.raw.size();
  nlohmann::json transactions = nlohmann::json::array();
  for (const Transaction& tx : contents.block->transactions) {
    if (verbosity >= 2) {
      transactions.push_back(TransactionJson(tx, true, prefixes));
    } else {
      transactions.push_back(tx.txid.ToDisplayHex());
    }
  }
  out["tx"] = transactions;
  return out;
}

}  // namespace electrum::simnode
