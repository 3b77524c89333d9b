// Packs a bulk load's history entries, read in (script hash, tx_num) order,
// into the schema-6 forms (history_layout.h): scripts with fewer than
// `keyed_from_entries` entries into history_ranges rows, the others handed
// on entry by entry to become history_keys rows. Pure logic; the database
// side is in history_pack_load.h.
#ifndef ELECTRUM_STORAGE_CHAIN_INDEX_HISTORY_PACKER_H_
#define ELECTRUM_STORAGE_CHAIN_INDEX_HISTORY_PACKER_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/chain/hash_types.h"
#include "storage/chain_index/history_layout.h"

namespace electrum::storage {

class HistoryPackSink {
 public:
  virtual ~HistoryPackSink() = default;
  // A complete history_ranges row: its first entry's key, its entries and
  // their highest tx_num.
  virtual absl::Status RangeRow(std::span<const uint8_t, kHistoryKeyBytes> first_key,
                                const std::string& entries, int64_t last_tx_num) = 0;
  // One entry of a script kept whole in history_keys, in input order.
  virtual absl::Status KeyedEntry(const chain::ScriptHash& scripthash, int64_t tx_num) = 0;
};

class HistoryPacker {
 public:
  // `keyed_from_entries` of 1 keys every script (no history_ranges rows).
  HistoryPacker(size_t keyed_from_entries, HistoryPackSink& sink)
      : keyed_from_entries_(keyed_from_entries < 1 ? 1 : keyed_from_entries), sink_(sink) {}

  // INTERNAL when the entry comes before the previous one; a repeated entry
  // is dropped.
  absl::Status Add(const chain::ScriptHash& scripthash, int64_t tx_num);
  // Hands on what is still buffered. No Add after it.
  absl::Status Finish();

  size_t range_rows() const { return range_rows_; }
  size_t keyed_scripts() const { return keyed_scripts_; }

 private:
  absl::Status EndScript();
  absl::Status EmitRangeRow();

  const size_t keyed_from_entries_;
  HistoryPackSink& sink_;
  bool started_ = false;
  chain::ScriptHash current_;
  int64_t last_tx_num_ = -1;
  // The current script's entries while it may still be light.
  std::vector<int64_t> pending_;
  bool current_keyed_ = false;
  std::string range_;
  size_t range_entries_ = 0;
  int64_t range_last_tx_num_ = -1;
  size_t range_rows_ = 0;
  size_t keyed_scripts_ = 0;
};

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_CHAIN_INDEX_HISTORY_PACKER_H_
