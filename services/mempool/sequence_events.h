// The node's ZMQ `sequence` topic (Bitcoin Core ≥ 0.21): each message body is
// a 32-byte hash in display order, a label — 'A' (tx added to the mempool),
// 'R' (removed), 'C' (block connected), 'D' (disconnected) — and, for A and R,
// the mempool sequence number (8 bytes, little-endian), which grows by one
// per mempool event. SequenceEvents turns a run of them into the additions
// and removals to apply, or says a full resync is needed: after a gap in the
// numbering (messages lost) or a block event (block inclusion removes
// transactions without an 'R').
#ifndef ELECTRUM_SERVICES_MEMPOOL_SEQUENCE_EVENTS_H_
#define ELECTRUM_SERVICES_MEMPOOL_SEQUENCE_EVENTS_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/chain/bytes.h"
#include "common/chain/hash_types.h"

namespace electrum::mempool {

struct SequenceEvent {
  enum class Kind { kAdded, kRemoved, kBlockConnected, kBlockDisconnected };
  Kind kind = Kind::kAdded;
  // A txid for kAdded / kRemoved, a block hash otherwise (internal order).
  std::array<uint8_t, 32> hash{};
  std::optional<uint64_t> mempool_sequence;
};

// INVALID_ARGUMENT for a body of the wrong size or an unknown label.
absl::StatusOr<SequenceEvent> ParseSequenceEvent(chain::ByteSpan body);

class SequenceEvents {
 public:
  void Add(const SequenceEvent& event);

  bool needs_full_resync() const { return needs_full_resync_; }
  // Call when a full resync starts: pending changes are covered by it, and
  // the next numbered event sets the new base.
  void StartFullResync();

  struct Changes {
    std::vector<chain::TxId> added;
    std::vector<chain::TxId> removed;
  };
  // What the events since the last call amount to (the last word on each
  // txid wins).
  Changes Take();

 private:
  bool needs_full_resync_ = true;  // nothing mirrored yet
  std::optional<uint64_t> last_sequence_;
  absl::flat_hash_map<chain::TxId, bool> last_word_;  // true: added
};

}  // namespace electrum::mempool

#endif  // ELECTRUM_SERVICES_MEMPOOL_SEQUENCE_EVENTS_H_
