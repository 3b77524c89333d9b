// GetHistory's reads: a cached history, an extension of a cached confirmed
// part, or a fresh read; fresh reads of concurrent calls share one
// statement (CoalescingBatcher over ReadHistories).
#include "absl/strings/str_cat.h"
#include "common/grpc/status_conversion.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "services/common/database_call.h"
#include "services/history/history_service.h"
#include "storage/address_index/address_queries.h"

namespace electrum::history {

absl::StatusOr<HistoryServiceImpl::SharedHistory> HistoryServiceImpl::HistoryFor(
    const grpc::ServerContext* context, const chain::ScriptHash& scripthash) {
  if (std::optional<SharedHistory> cached = histories_.Find(scripthash)) return *cached;
  if (!prefixes_.Find(scripthash)) {
    ASSIGN_OR_RETURN(
        HistoryRead read,
        history_batcher_.Get(scripthash, [&](const std::vector<chain::ScriptHash>& batch) {
          return ReadHistoriesInOrder(context, batch);
        }));
    if (read.too_large) {
      return absl::ResourceExhaustedError(
          absl::StrCat("history too large: more than ", options_.max_history_entries, " entries"));
    }
    return read.value;
  }
  // A long history read before: extending it beats reading it again.
  SharedHistory history;
  grpc::Status status = services::WithDatabaseStatements(
      context, database_, "reading history", [&](pqxx::transaction_base& session) {
        ASSIGN_OR_RETURN(history, LoadHistory(session, scripthash));
        return absl::OkStatus();
      });
  if (!status.ok()) return FromGrpcStatus(status);
  return history;
}

absl::StatusOr<std::vector<HistoryServiceImpl::HistoryRead>>
HistoryServiceImpl::ReadHistoriesInOrder(const grpc::ServerContext* context,
                                         const std::vector<chain::ScriptHash>& scripthashes) {
  std::vector<HistoryRead> reads(scripthashes.size());
  const uint64_t observed_histories = histories_.Observe();
  const uint64_t observed_prefixes = prefixes_.Observe();
  grpc::Status status = services::WithDatabaseStatements(
      context, database_, "reading histories", [&](pqxx::transaction_base& session) {
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
      });
  if (!status.ok()) return FromGrpcStatus(status);
  return reads;
}

}  // namespace electrum::history
