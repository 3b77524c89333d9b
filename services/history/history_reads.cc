// GetHistory's reads: a cached history, an extension of a cached confirmed
// part (on the blocking pool), or a fresh read; fresh reads of concurrent
// calls share one statement (history_batcher_ over ReadHistories).
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "services/common/deadline.h"
#include "services/history/history_service.h"
#include "storage/address_index/address_queries.h"
#include "storage/pg/pooled_session.h"

namespace electrum::history {

void HistoryServiceImpl::HistoryFor(const chain::ScriptHash& scripthash,
                                    std::chrono::system_clock::time_point deadline,
                                    HistoryDone done) {
  if (std::optional<SharedHistory> cached = histories_.Find(scripthash)) return done(*cached);
  if (!prefixes_.Find(scripthash)) {
    history_batcher_.Get(scripthash, deadline,
                         [this, done = std::move(done)](absl::StatusOr<HistoryRead> read) {
                           if (!read.ok()) return done(read.status());
                           if (read->too_large) return done(TooLarge());
                           done(std::move(read->value));
                         });
    return;
  }
  // A long history read before: extending it beats reading it again.
  blocking_.Post([this, scripthash, deadline, done = std::move(done)] {
    SharedHistory history;
    absl::Status status =
        storage::WithPooledStatements(database_, services::MillisecondsUntil(deadline),
                                      "reading history", [&](pqxx::transaction_base& session) {
                                        ASSIGN_OR_RETURN(history, LoadHistory(session, scripthash));
                                        return absl::OkStatus();
                                      });
    if (!status.ok()) return done(status);
    done(std::move(history));
  });
}

absl::StatusOr<std::vector<HistoryServiceImpl::HistoryRead>>
HistoryServiceImpl::ReadHistoriesInOrder(std::optional<int64_t> milliseconds_left,
                                         const std::vector<chain::ScriptHash>& scripthashes) {
  std::vector<HistoryRead> reads(scripthashes.size());
  const uint64_t observed_histories = histories_.Observe();
  const uint64_t observed_prefixes = prefixes_.Observe();
  RETURN_IF_ERROR(storage::WithPooledStatements(
      database_, milliseconds_left, "reading histories", [&](pqxx::transaction_base& session) {
        ASSIGN_OR_RETURN(auto histories, storage::ReadHistories(session, scripthashes,
                                                                options_.max_history_entries));
        for (size_t i = 0; i < scripthashes.size(); ++i) {
          absl::StatusOr<HistoryWithPrefix>& read = histories[i];
          if (read.status().code() == absl::StatusCode::kResourceExhausted) {
            reads[i].too_large = true;
            continue;
          }
          if (!read.ok()) return read.status();
          reads[i].value =
              Remember(scripthashes[i], std::move(*read), observed_histories, observed_prefixes);
        }
        return absl::OkStatus();
      }));
  return reads;
}

}  // namespace electrum::history
