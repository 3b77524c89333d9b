#include "services/mempool/sequence_events.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace electrum::mempool {

absl::StatusOr<SequenceEvent> ParseSequenceEvent(chain::ByteSpan body) {
  if (body.size() != 33 && body.size() != 41) {
    return absl::InvalidArgumentError(
        absl::StrCat("sequence message of ", body.size(), " bytes (expected 33 or 41)"));
  }
  SequenceEvent event;
  std::reverse_copy(body.begin(), body.begin() + 32, event.hash.begin());
  switch (body[32]) {
    case 'A':
      event.kind = SequenceEvent::Kind::kAdded;
      break;
    case 'R':
      event.kind = SequenceEvent::Kind::kRemoved;
      break;
    case 'C':
      event.kind = SequenceEvent::Kind::kBlockConnected;
      break;
    case 'D':
      event.kind = SequenceEvent::Kind::kBlockDisconnected;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("unknown sequence label ", static_cast<int>(body[32])));
  }
  const bool numbered =
      event.kind == SequenceEvent::Kind::kAdded || event.kind == SequenceEvent::Kind::kRemoved;
  if (numbered != (body.size() == 41)) {
    return absl::InvalidArgumentError("sequence number present where it must not be, or missing");
  }
  if (numbered) {
    uint64_t sequence = 0;
    for (int i = 7; i >= 0; --i) sequence = sequence << 8 | body[33 + i];
    event.mempool_sequence = sequence;
  }
  return event;
}

void SequenceEvents::Add(const SequenceEvent& event) {
  if (!event.mempool_sequence) {  // a block connected or disconnected
    needs_full_resync_ = true;
    return;
  }
  if (last_sequence_ && *event.mempool_sequence != *last_sequence_ + 1) {
    // Lost messages (or a node restart): only a full comparison is safe.
    if (*event.mempool_sequence > *last_sequence_ + 1 ||
        *event.mempool_sequence < *last_sequence_) {
      needs_full_resync_ = true;
    }
  }
  last_sequence_ = std::max(last_sequence_.value_or(0), *event.mempool_sequence);
  last_word_[chain::TxId(event.hash)] = event.kind == SequenceEvent::Kind::kAdded;
}

void SequenceEvents::StartFullResync() {
  needs_full_resync_ = false;
  last_sequence_.reset();
  last_word_.clear();
}

SequenceEvents::Changes SequenceEvents::Take() {
  Changes changes;
  for (const auto& [txid, added] : last_word_) {
    (added ? changes.added : changes.removed).push_back(txid);
  }
  last_word_.clear();
  return changes;
}

}  // namespace electrum::mempool
