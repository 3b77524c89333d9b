// The blockchain service's reads of the chain index.
#ifndef ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_CHAIN_QUERIES_H_
#define ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_CHAIN_QUERIES_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/hash_types.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::blockchain {

// The txids of the block at `height` in block order; NOT_FOUND above the tip.
absl::StatusOr<std::vector<chain::TxId>> ReadBlockTxids(pqxx::connection_base& connection,
                                                        int32_t height);

// The height of the confirmed transaction (the latest, for a duplicated
// txid); nullopt when it is not in the index.
absl::StatusOr<std::optional<int32_t>> ReadTransactionHeight(pqxx::connection_base& connection,
                                                             const chain::TxId& txid);

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_CHAIN_QUERIES_H_
