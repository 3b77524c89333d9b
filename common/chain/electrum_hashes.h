// Electrum protocol hashes (spec §4): script hashes, address status, and
// header checkpoint proofs.
#ifndef ELECTRUM_COMMON_CHAIN_ELECTRUM_HASHES_H_
#define ELECTRUM_COMMON_CHAIN_ELECTRUM_HASHES_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/bytes.h"
#include "common/chain/hash_types.h"
#include "common/chain/merkle.h"
#include "common/crypto/sha256.h"

namespace electrum::chain {

// sha256 of the output script; shown reversed like other hashes.
ScriptHash ScriptHashOf(ByteSpan script_pubkey);

struct StatusHistoryEntry {
  TxId txid;
  // Block height; 0 in the mempool with confirmed inputs, -1 with
  // unconfirmed ones.
  int32_t height = 0;
};

// sha256 over "<txid display hex>:<height>:" for each entry in the order
// given (confirmed by position, then mempool per spec §4.2). Not reversed.
// nullopt for an empty history (Electrum's null status).
std::optional<Sha256Digest> AddressStatus(const std::vector<StatusHistoryEntry>& history);

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_ELECTRUM_HASHES_H_
