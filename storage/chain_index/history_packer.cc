#include "storage/chain_index/history_packer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace electrum::storage {

absl::Status HistoryPacker::Add(const chain::ScriptHash& scripthash, int64_t tx_num) {
  if (started_) {
    if (scripthash == current_ && tx_num == last_tx_num_) return absl::OkStatus();
    if (scripthash < current_ || (scripthash == current_ && tx_num < last_tx_num_)) {
      return absl::InternalError(absl::StrCat("history entry ", scripthash.ToDisplayHex(), "/",
                                              tx_num, " arrived out of order"));
    }
  }
  if (!started_ || scripthash != current_) {
    if (started_) RETURN_IF_ERROR(EndScript());
    started_ = true;
    current_ = scripthash;
    current_keyed_ = false;
  }
  last_tx_num_ = tx_num;
  if (current_keyed_) return sink_.KeyedEntry(current_, tx_num);
  pending_.push_back(tx_num);
  if (pending_.size() < keyed_from_entries_) return absl::OkStatus();
  // Heavy: its entries so far, and every later one, go to history_keys.
  current_keyed_ = true;
  ++keyed_scripts_;
  for (int64_t pending : pending_) RETURN_IF_ERROR(sink_.KeyedEntry(current_, pending));
  pending_.clear();
  return absl::OkStatus();
}

absl::Status HistoryPacker::EndScript() {
  const auto key = std::span<const uint8_t>(current_.internal()).first<kHistoryKeyBytes>();
  for (int64_t tx_num : pending_) {
    if (range_entries_ == 0) {
      range_.clear();
      range_last_tx_num_ = -1;
    }
    AppendRangeEntry(key, tx_num, range_);
    range_last_tx_num_ = std::max(range_last_tx_num_, tx_num);
    if (++range_entries_ == kRangeRowEntries) RETURN_IF_ERROR(EmitRangeRow());
  }
  pending_.clear();
  return absl::OkStatus();
}

absl::Status HistoryPacker::EmitRangeRow() {
  std::array<uint8_t, kHistoryKeyBytes> first_key{};
  std::copy(range_.begin(), range_.begin() + kHistoryKeyBytes, first_key.begin());
  range_entries_ = 0;
  ++range_rows_;
  return sink_.RangeRow(first_key, range_, range_last_tx_num_);
}

absl::Status HistoryPacker::Finish() {
  if (started_) RETURN_IF_ERROR(EndScript());
  if (range_entries_ > 0) RETURN_IF_ERROR(EmitRangeRow());
  return absl::OkStatus();
}

}  // namespace electrum::storage
