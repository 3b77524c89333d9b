// Electrum protocol hashes (spec §4): script hashes, address status, and
// header checkpoint proofs.
#ifndef ELECTRUM_COMMON_CHAIN_ELECTRUM_HASHES_H_
#define ELECTRUM_COMMON_CHAIN_ELECTRUM_HASHES_H_

#include <array>
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

// AddressStatus fed one entry at a time: the preimage is written into a
// small buffer and hashed as it fills, so a history of a million entries
// needs neither a copy of its entries nor its ~77 MB preimage in memory.
class AddressStatusHasher {
 public:
  void Add(const TxId& txid, int32_t height);
  std::optional<Sha256Digest> Finish();

 private:
  static constexpr size_t kBufferBytes = 16 * 1024;
  // One entry at most: 64 hex digits, two colons, an int32 with its sign,
  // and the NUL that FastIntToBuffer writes after it.
  static constexpr size_t kEntryBytes = 64 + 2 + 11 + 1;

  Sha256Hasher hasher_;
  std::array<char, kBufferBytes> buffer_;
  size_t used_ = 0;
  bool empty_ = true;
  // The last height written, as text (FastIntToBuffer's NUL included).
  int32_t height_ = 0;
  std::array<char, 12> height_text_;
  size_t height_digits_ = 0;
};

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_ELECTRUM_HASHES_H_
