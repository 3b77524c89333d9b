// The flags every binary that talks to the node shares (--node_host,
// --node_port, --node_cookie_file, --node_user, --node_password) and the
// coin selection (--coin, --network), defined once.
#ifndef ELECTRUM_SERVICES_COMMON_NODE_FLAGS_H_
#define ELECTRUM_SERVICES_COMMON_NODE_FLAGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/chain/coins.h"
#include "services/node/bitcoind_client.h"

namespace electrum::services {

node::BitcoindOptions NodeOptionsFromFlags();

// INVALID_ARGUMENT naming the coin and network when the table has no such
// coin.
absl::StatusOr<const chain::CoinParams*> CoinFromFlags();

// What every writer and service binary checks first: a database URL was
// given (INVALID_ARGUMENT naming --database_url otherwise) and the coin
// exists. Returns the coin.
absl::StatusOr<const chain::CoinParams*> CheckDatabaseUrlAndCoin(const std::string& database_url);

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_NODE_FLAGS_H_
