// The flags every binary that talks to the node shares (--node_url, or
// --node_host, --node_port, --node_cookie_file, --node_user,
// --node_password) and the coin selection (--coin, --network), defined once.
#ifndef ELECTRUM_SERVICES_COMMON_NODE_FLAGS_H_
#define ELECTRUM_SERVICES_COMMON_NODE_FLAGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/chain/coins.h"
#include "services/node/bitcoind_client.h"

namespace electrum::services {

struct NodeServiceSettings {
  const chain::CoinParams* coin = nullptr;
  node::BitcoindOptions node;
};

// What every binary that writes from the node checks before it starts
// anything: a database URL was given (INVALID_ARGUMENT naming
// --database_url otherwise), the coin exists (INVALID_ARGUMENT naming the
// coin and network otherwise), and the node flags agree. --node_url
// (ElectrumX's DAEMON_URL form) replaces --node_host and --node_port; a URL
// without a port means the coin's RPC port. Credentials come from the URL
// or from the other flags, and INVALID_ARGUMENT says so when both give them.
absl::StatusOr<NodeServiceSettings> CheckNodeServiceFlags(const std::string& database_url);

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_NODE_FLAGS_H_
