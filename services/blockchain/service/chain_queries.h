// The blockchain service's reads of the index, in a session from
// storage/pg/pooled_session.h (which applies the deadline and maps errors).
#ifndef ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_CHAIN_QUERIES_H_
#define ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_CHAIN_QUERIES_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/hash_types.h"

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace electrum::blockchain {

// NOT_FOUND when no block is indexed at `height`.
absl::StatusOr<std::vector<chain::TxId>> ReadBlockTxids(pqxx::transaction_base& session,
                                                        int32_t height);

// The height of the latest confirmed transaction with this txid; nullopt
// when none is indexed.
absl::StatusOr<std::optional<int32_t>> ReadTransactionHeight(pqxx::transaction_base& session,
                                                             const chain::TxId& txid);

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_CHAIN_QUERIES_H_
