// The coin table: what differs between the chains the server can index.
#ifndef ELECTRUM_COMMON_CHAIN_COINS_H_
#define ELECTRUM_COMMON_CHAIN_COINS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/block.h"
#include "common/chain/hash_types.h"

namespace electrum::chain {

// Which Electrum protocol extensions a coin's server offers (as ElectrumX).
enum class ExtensionSet {
  kNone,
  // masternode.* and protx.* methods.
  kDash,
  // Variable-length AuxPoW headers, truncated for checkpoint proofs.
  kAuxPow,
  // AuxPoW plus the name index (blockchain.name.*).
  kAuxPowNameIndex,
};

struct AddressPrefixes {
  uint8_t p2pkh = 0;
  uint8_t p2sh = 0;
  // Bech32 human-readable part; empty when the coin has no segwit addresses.
  std::string_view bech32_hrp;
};

struct CoinParams {
  // As Electrum/ElectrumX name them: "Bitcoin", "Dash", "Namecoin", ...
  std::string_view name;
  // "mainnet", "testnet", "testnet4", "signet", "regtest".
  std::string_view network;
  BlockHash genesis_hash;
  AddressPrefixes addresses;
  // False for coins whose block identity hash is not SHA-256d of the header
  // (Dash: X11). Such hashes are taken from the node, never recomputed.
  bool sha256d_block_hash = true;
  std::string_view block_hash_function = "sha256d";
  BlockFormat block_format;
  ExtensionSet extensions = ExtensionSet::kNone;
  // Bytes of header served when a checkpoint proof is asked for (AuxPoW
  // headers are cut to the base header).
  uint32_t truncated_header_size = 80;
  // Largest response a server sends unless configured (ElectrumX's
  // DEFAULT_MAX_SEND; AuxPoW headers make chunks bigger).
  uint32_t default_max_send = 8'100'000;
  // Name-index coins: blocks after which an unrenewed name expires (0: never).
  int32_t name_expiration_blocks = 0;
  uint16_t electrum_tcp_port = 50001;
  uint16_t electrum_ssl_port = 50002;
  uint16_t node_rpc_port = 8332;
};

const std::vector<const CoinParams*>& AllCoins();

// By name and network, case-insensitively ("bitcoin", "regtest").
absl::StatusOr<const CoinParams*> FindCoin(std::string_view name, std::string_view network);

const CoinParams& BitcoinMainnet();
const CoinParams& BitcoinRegtest();

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_COINS_H_
