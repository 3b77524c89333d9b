#include "services/common/node_flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, coin, "Bitcoin", "Coin name as in the coin table");
ABSL_FLAG(std::string, network, "regtest", "mainnet, testnet, testnet4, signet or regtest");
ABSL_FLAG(std::string, node_host, "127.0.0.1", "Node JSON-RPC host");
ABSL_FLAG(int, node_port, 18443, "Node JSON-RPC port");
ABSL_FLAG(std::string, node_cookie_file, "", "Node .cookie file (instead of user/password)");
ABSL_FLAG(std::string, node_user, "", "Node RPC user");
ABSL_FLAG(std::string, node_password, "", "Node RPC password");

namespace electrum::services {

node::BitcoindOptions NodeOptionsFromFlags() {
  return {.host = absl::GetFlag(FLAGS_node_host),
          .port = static_cast<uint16_t>(absl::GetFlag(FLAGS_node_port)),
          .user = absl::GetFlag(FLAGS_node_user),
          .password = absl::GetFlag(FLAGS_node_password),
          .cookie_file = absl::GetFlag(FLAGS_node_cookie_file)};
}

absl::StatusOr<const chain::CoinParams*> CoinFromFlags() {
  return chain::FindCoin(absl::GetFlag(FLAGS_coin), absl::GetFlag(FLAGS_network));
}

absl::StatusOr<const chain::CoinParams*> CheckDatabaseUrlAndCoin(const std::string& database_url) {
  if (database_url.empty()) {
    return absl::InvalidArgumentError("--database_url (or ELECTRUM_DATABASE_URL) is required");
  }
  return CoinFromFlags();
}

}  // namespace electrum::services
