#include "storage/address_index/status_queries.h"

#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "storage/address_index/history_assembly.h"
#include "storage/address_index/query_params.h"
#include "storage/chain_index/history_layout.h"
#include "storage/pg/binary_query.h"

namespace electrum::storage {
namespace {

using address_sql::SortCanonically;
using address_sql::VisitHistoryRow;
using address_sql::WithUnconfirmed;

// The rows of one script hash from tx_num $3 on, in the order the stream
// hashes them: mempool entries first, then history_ranges entries, then
// history_keys rows, both in tx_num order (at most $2 keyed rows). Columns
// as in address_queries.cc: txid, height, fee, unconfirmed inputs, tx_num,
// packed. An Append runs its branches in order; the stream checks that it
// did. Mempool transactions a new block has confirmed are left out here,
// in the same snapshot (the mirror drops them a moment after the block),
// since a stream cannot look back over the confirmed entries it hashed.
constexpr char kStatusRows[] = "status_rows_of_scripthash";
constexpr char kStatusRowsSql[] =
    "(SELECT m.txid, 0::int4 AS height, t.fee::bigint, t.has_unconfirmed_inputs, "
    "        NULL::bigint AS tx_num, NULL::bytea AS packed "
    " FROM mempool_history m JOIN mempool_txs t ON t.txid = m.txid WHERE m.scripthash = $1 "
    "   AND NOT EXISTS (SELECT 1 FROM electrum_transaction(m.txid))) "
    "UNION ALL "
    "(SELECT t.txid, t.height, 0, false, n, NULL "
    " FROM history_range_tx_nums(history_key($1::bytea)) AS n, chain_tx(n) AS t "
    " WHERE n >= $3 ORDER BY n) "
    "UNION ALL "
    "(SELECT NULL, NULL, NULL, NULL, first_tx_num, entries FROM history_keys "
    " WHERE scripthash = $1 AND last_tx_num >= $3 ORDER BY first_tx_num LIMIT $2)";

// Takes one script hash's rows as they arrive and hashes its confirmed
// entries in order. Keeps them too while there are at most keep_up_to.
class StatusStream {
 public:
  enum class Outcome { kRead, kTooLarge, kOutOfOrder, kReorged };

  StatusStream(size_t max_entries, size_t keep_up_to, const StatusPrefix* base)
      : max_entries_(max_entries), keep_up_to_(keep_up_to), base_(base) {
    if (base_ != nullptr) {
      hasher_ = base_->hasher;
      hashing_ = true;
      entries_ = base_->entries;
      last_tx_num_ = base_->last_tx_num;
      last_txid_ = base_->last_txid;
    }
  }

  // Stops the statement's rows early (an error) once the outcome is known
  // to be other than kRead.
  absl::Status Add(const BinaryRows& rows) {
    return VisitHistoryRow(
        rows, 0, [&](const KeyedEntry& entry) { return AddConfirmed(entry); },
        [&](const HistoryItem& item) {
          if (confirmed_started_) return Stop(Outcome::kOutOfOrder);
          mempool_.push_back(item);
          return CheckSize();
        });
  }

  Outcome outcome() const {
    if (outcome_ == Outcome::kRead && base_ != nullptr && !anchored_) return Outcome::kReorged;
    return outcome_;
  }

  // Once every row is in and outcome() is kRead.
  StatusRead Finish() {
    StartConfirmed();
    StatusRead read;
    if (!hashing_) {
      auto prefix = std::make_shared<ConfirmedPrefix>();
      prefix->items = std::move(items_);
      prefix->last_tx_num = last_tx_num_;
      read.history = WithUnconfirmed(std::move(prefix), mempool_);
      read.status = StatusOf(*read.history->history);
      return read;
    }
    read.prefix =
        std::make_shared<StatusPrefix>(StatusPrefix{hasher_, last_tx_num_, last_txid_, entries_});
    for (const HistoryItem& item : mempool_) hasher_.Add(item.txid, item.height);
    read.status = hasher_.Finish();
    return read;
  }

 private:
  absl::Status AddConfirmed(const KeyedEntry& entry) {
    StartConfirmed();
    if (base_ != nullptr && !anchored_) {
      // Packed rows may begin before the base's end; the first entry at or
      // after it must be the base's last one, or the chain has changed.
      if (entry.tx_num < base_->last_tx_num) return absl::OkStatus();
      if (entry.tx_num != base_->last_tx_num || entry.txid != base_->last_txid) {
        return Stop(Outcome::kReorged);
      }
      anchored_ = true;
      return absl::OkStatus();
    }
    if (entry.tx_num <= last_tx_num_) {
      // The same transaction twice (in a range row and a keyed row) counts
      // once; going back means the rows are not in order.
      return entry.tx_num == last_tx_num_ ? absl::OkStatus() : Stop(Outcome::kOutOfOrder);
    }
    last_tx_num_ = entry.tx_num;
    last_txid_ = entry.txid;
    ++entries_;
    RETURN_IF_ERROR(CheckSize());
    if (hashing_) {
      hasher_.Add(entry.txid, entry.height);
    } else {
      items_.push_back({entry.txid, entry.height, 0});
      if (items_.size() > keep_up_to_) HashWhatIsKept();
    }
    return absl::OkStatus();
  }

  // Mempool rows are all in: into their order.
  void StartConfirmed() {
    if (confirmed_started_) return;
    confirmed_started_ = true;
    SortCanonically(mempool_);
  }

  void HashWhatIsKept() {
    for (const HistoryItem& item : items_) hasher_.Add(item.txid, item.height);
    items_ = {};
    hashing_ = true;
  }

  absl::Status CheckSize() {
    return entries_ + mempool_.size() > max_entries_ ? Stop(Outcome::kTooLarge) : absl::OkStatus();
  }

  absl::Status Stop(Outcome outcome) {
    outcome_ = outcome;
    return absl::CancelledError("status stream stopped");
  }

  const size_t max_entries_;
  const size_t keep_up_to_;
  const StatusPrefix* const base_;
  Outcome outcome_ = Outcome::kRead;
  bool confirmed_started_ = false;
  bool anchored_ = false;
  bool hashing_ = false;
  chain::AddressStatusHasher hasher_;
  int64_t last_tx_num_ = -1;
  chain::TxId last_txid_;
  size_t entries_ = 0;
  std::vector<HistoryItem> items_;
  std::vector<HistoryItem> mempool_;
};

StatusRead TooLargeRead() {
  StatusRead read;
  read.too_large = true;
  return read;
}

// Streams the rows from `from_tx_num` on through `stream`: what it read,
// or nullopt when the rows were not as it needs them (read afresh then).
absl::StatusOr<std::optional<StatusRead>> Run(pqxx::transaction_base& transaction,
                                              const chain::ScriptHash& scripthash, size_t row_limit,
                                              int64_t from_tx_num, StatusStream& stream) {
  const absl::Status streamed = QueryBinaryRowByRow(
      transaction.conn(), kStatusRows, kStatusRowsSql,
      {QueryParam::Binary(scripthash.span()), QueryParam::Text(std::to_string(row_limit)),
       QueryParam::Text(std::to_string(from_tx_num))},
      [&](const BinaryRows& row) { return stream.Add(row); });
  switch (stream.outcome()) {
    case StatusStream::Outcome::kRead:
      RETURN_IF_ERROR(streamed);
      return stream.Finish();
    case StatusStream::Outcome::kTooLarge:
      return TooLargeRead();
    case StatusStream::Outcome::kOutOfOrder:
    case StatusStream::Outcome::kReorged:
      break;
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<StatusRead> ReadStatus(pqxx::transaction_base& transaction,
                                      const chain::ScriptHash& scripthash, size_t max_entries,
                                      size_t keep_up_to) {
  StatusStream stream(max_entries, keep_up_to, nullptr);
  ASSIGN_OR_RETURN(std::optional<StatusRead> streamed,
                   Run(transaction, scripthash, max_entries + 1, 0, stream));
  if (streamed) return std::move(*streamed);
  // Rows not in the order the stream needs (e.g. range entries after keyed
  // ones, from two bulk loads): read and sort the history whole.
  return StatusReadOf(ReadHistory(transaction, scripthash, max_entries));
}

absl::StatusOr<StatusRead> StatusReadOf(absl::StatusOr<HistoryWithPrefix> history) {
  if (history.status().code() == absl::StatusCode::kResourceExhausted) return TooLargeRead();
  RETURN_IF_ERROR(history.status());
  StatusRead read;
  read.status = StatusOf(*history->history);
  read.history = std::move(*history);
  return read;
}

absl::StatusOr<std::optional<StatusRead>> ExtendStatus(pqxx::transaction_base& transaction,
                                                       const chain::ScriptHash& scripthash,
                                                       const StatusPrefix& prefix,
                                                       size_t max_entries) {
  if (prefix.entries > max_entries) return TooLargeRead();
  StatusStream stream(max_entries, 0, &prefix);
  // The prefix's last row again, then at most enough to exceed the limit.
  return Run(transaction, scripthash, max_entries - prefix.entries + 2, prefix.last_tx_num, stream);
}

}  // namespace electrum::storage
