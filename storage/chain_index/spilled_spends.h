// Spends the bulk load could not resolve in memory because their outputs had
// been evicted (unspent_outputs.h). They wait in bulk_spilled_spends as
// (txid, vout, spent_tx_num) until the load finishes.
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_SPILLED_SPENDS_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_SPILLED_SPENDS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "pqxx/pqxx"

namespace electrum::storage {

// Turns every spilled spend into the bulk_spends row and the bulk_history
// entry (the spender under the spent output's script hash) that the
// in-memory path writes, then empties bulk_spilled_spends. Hash joins:
// spilled spends with the load's bulk_txids by txid and then bulk_outputs by
// outpoint, and with utxos (the outputs from before the load) by outpoint. DATA_LOSS, with nothing
// applied once the caller rolls back, when a spend matches no output or more than one. Returns the
// spends resolved.
absl::StatusOr<int64_t> ResolveSpilledSpends(pqxx::work& transaction);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_SPILLED_SPENDS_H_
