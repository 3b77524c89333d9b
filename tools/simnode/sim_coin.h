// The chains simnode can simulate: Bitcoin regtest, Namecoin regtest (AuxPoW
// headers, name operations) and Dash regtest (DIP 4 coinbase payloads).
#ifndef ELECTRUM_TOOLS_SIMNODE_SIM_COIN_H_
#define ELECTRUM_TOOLS_SIMNODE_SIM_COIN_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/chain/bytes.h"
#include "common/chain/coins.h"

namespace electrum::simnode {

struct SimCoin {
  const chain::CoinParams* params = nullptr;
  // "bitcoin", "namecoin", "dash": the --coin flag's value.
  std::string_view flag_name;
  chain::Bytes (*genesis_block)() = nullptr;
  // AuxPoW: blocks carry a merged-mining proof from a fake parent block
  // (Namecoin's chain id is 1).
  bool auxpow = false;
  int32_t auxpow_chain_id = 0;
  // Segwit is active: coinbase witness commitment.
  bool segwit = true;
  // Dash: coinbase is a DIP 2 special transaction with a CbTx payload.
  bool dash_coinbase_payload = false;
  // Namecoin: the workload also writes name operations.
  bool name_operations = false;
};

absl::StatusOr<const SimCoin*> FindSimCoin(std::string_view flag_name);
const SimCoin& BitcoinSimCoin();

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_SIM_COIN_H_
