#include "tools/simnode/sim_coin.h"

#include "absl/strings/str_cat.h"
#include "common/crypto/hex.h"
#include "tools/simnode/block_assembler.h"

namespace electrum::simnode {
namespace {

// Dash regtest genesis: chainparams' time, bits and nonce, and Dash's genesis
// coinbase; the merkle root is that coinbase's txid. Its hash is taken to be
// the coin table's (X11) genesis hash, which simnode cannot compute.
constexpr char kDashGenesisHeaderHex[] =
    "010000000000000000000000000000000000000000000000000000000000000000000000c762a6567f3cc092f0684b"
    "b62b7e00a84890b990f07cc71a6bb58d64b98e02e0b9968054ffff7f20ffba1000";
constexpr char kDashGenesisCoinbaseHex[] =
    "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff6204ffff00"
    "1d01044c5957697265642030392f4a616e2f3230313420546865204772616e64204578706572696d656e7420476f"
    "6573204c6976653a204f76657273746f636b2e636f6d204973204e6f7720416363657074696e6720426974636f69"
    "6e73ffffffff0100f2052a010000004341040184710fa689ad5023690c80f3a49c8f13f8d45b8c857fbcbc8bc4a8"
    "e4d3eb4b10f4d4604fa08dce601aaf0f470216fe1b51850b4acf21b179c45070ac7b03a9ac00000000";

chain::Bytes DashGenesisBlock() {
  chain::Bytes out = FromHex(kDashGenesisHeaderHex).value();
  out.push_back(1);
  chain::Bytes coinbase = FromHex(kDashGenesisCoinbaseHex).value();
  out.insert(out.end(), coinbase.begin(), coinbase.end());
  return out;
}

const std::vector<SimCoin>& Coins() {
  static const auto* const coins = new std::vector<SimCoin>{
      {.params = *chain::FindCoin("Bitcoin", "regtest"),
       .flag_name = "bitcoin",
       .genesis_block = &RegtestGenesisBlock},
      {.params = *chain::FindCoin("Namecoin", "regtest"),
       .flag_name = "namecoin",
       .genesis_block = &RegtestGenesisBlock,
       .auxpow = true,
       .auxpow_chain_id = 1,
       .name_operations = true},
      {.params = *chain::FindCoin("Dash", "regtest"),
       .flag_name = "dash",
       .genesis_block = &DashGenesisBlock,
       .segwit = false,
       .dash_coinbase_payload = true},
  };
  return *coins;
}

}  // namespace

absl::StatusOr<const SimCoin*> FindSimCoin(std::string_view flag_name) {
  for (const SimCoin& coin : Coins()) {
    if (coin.flag_name == flag_name) return &coin;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown coin '", std::string(flag_name), "' (bitcoin, namecoin or dash)"));
}

const SimCoin& BitcoinSimCoin() { return Coins()[0]; }

}  // namespace electrum::simnode
