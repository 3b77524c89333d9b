#include "services/common/node_flags.h"

#include <algorithm>
#include <chrono>

#include "absl/flags/flag.h"
#include "common/status/status_macros.h"
#include "services/node/node_url.h"

ABSL_FLAG(std::string, coin, "Bitcoin", "Coin name as in the coin table");
ABSL_FLAG(std::string, network, "regtest", "mainnet, testnet, testnet4, signet or regtest");
ABSL_FLAG(std::string, node_url, "",
          "Node JSON-RPC as http://user:password@host:port/ (ElectrumX's DAEMON_URL; "
          "percent-encode @ : / in the password; no port: the coin's); replaces --node_host "
          "and --node_port");
ABSL_FLAG(std::string, node_host, "127.0.0.1", "Node JSON-RPC host");
ABSL_FLAG(int, node_port, 18443, "Node JSON-RPC port");
ABSL_FLAG(std::string, node_cookie_file, "", "Node .cookie file (instead of user/password)");
ABSL_FLAG(std::string, node_user, "", "Node RPC user");
ABSL_FLAG(std::string, node_password, "", "Node RPC password");
ABSL_FLAG(int, node_timeout_ms, 30000,
          "A node call (connect included) that takes longer fails with UNAVAILABLE");

namespace electrum::services {
namespace {

absl::StatusOr<const chain::CoinParams*> CoinFromFlags() {
  return chain::FindCoin(absl::GetFlag(FLAGS_coin), absl::GetFlag(FLAGS_network));
}

absl::StatusOr<node::BitcoindOptions> NodeOptionsFromFlags(const chain::CoinParams& coin) {
  node::BitcoindOptions options{
      .host = absl::GetFlag(FLAGS_node_host),
      .port = static_cast<uint16_t>(absl::GetFlag(FLAGS_node_port)),
      .user = absl::GetFlag(FLAGS_node_user),
      .password = absl::GetFlag(FLAGS_node_password),
      .cookie_file = absl::GetFlag(FLAGS_node_cookie_file),
      .timeout = std::chrono::milliseconds(std::max(1, absl::GetFlag(FLAGS_node_timeout_ms)))};
  const std::string url = absl::GetFlag(FLAGS_node_url);
  if (url.empty()) return options;
  ASSIGN_OR_RETURN(node::NodeUrl parsed, node::ParseNodeUrl(url, coin.node_rpc_port));
  options.host = std::move(parsed.host);
  options.port = parsed.port;
  if (parsed.user.empty()) return options;
  if (!options.cookie_file.empty() || !options.user.empty()) {
    return absl::InvalidArgumentError(
        "--node_url carries a user and password: drop --node_cookie_file, --node_user and "
        "--node_password, or the credentials from the URL");
  }
  options.user = std::move(parsed.user);
  options.password = std::move(parsed.password);
  return options;
}

}  // namespace

absl::StatusOr<NodeServiceSettings> CheckNodeServiceFlags(const std::string& database_url) {
  if (database_url.empty()) {
    return absl::InvalidArgumentError("--database_url (or ELECTRUM_DATABASE_URL) is required");
  }
  NodeServiceSettings settings;
  ASSIGN_OR_RETURN(settings.coin, CoinFromFlags());
  ASSIGN_OR_RETURN(settings.node, NodeOptionsFromFlags(*settings.coin));
  return settings;
}

}  // namespace electrum::services
