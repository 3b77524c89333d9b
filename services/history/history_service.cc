#include "services/history/history_service.h"

#include "absl/strings/str_cat.h"
#include "common/grpc/status_conversion.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "services/common/database_call.h"
#include "services/history/request_parsing.h"
#include "storage/address_index/address_queries.h"

namespace electrum::history {
namespace {

// Every read is one statement (its own snapshot), so no transaction is
// needed around it unless a deadline has to be applied.
using Session = pqxx::transaction_base;

void Fill(const HistoryItem& item, v1::HistoryEntry* entry) {
  entry->set_txid(Bytes(item.txid.internal()));
  entry->set_height(item.height);
  entry->set_fee(item.fee);
}

}  // namespace

absl::StatusOr<HistoryServiceImpl::SharedHistory> HistoryServiceImpl::LoadHistory(
    pqxx::transaction_base& session, const chain::ScriptHash& scripthash) {
  if (std::optional<SharedHistory> cached = histories_.Find(scripthash)) return *cached;
  const uint64_t observed = histories_.Observe();
  const uint64_t observed_prefixes = prefixes_.Observe();
  std::optional<HistoryWithPrefix> read;
  if (std::optional<std::shared_ptr<const ConfirmedPrefix>> prefix = prefixes_.Find(scripthash)) {
    absl::StatusOr<std::optional<HistoryWithPrefix>> extended =
        storage::ExtendHistory(session, scripthash, *prefix, options_.max_history_entries);
    if (!extended.ok()) return extended.status();
    read = std::move(*extended);
  }
  if (!read) {
    absl::StatusOr<HistoryWithPrefix> full =
        storage::ReadHistory(session, scripthash, options_.max_history_entries);
    if (!full.ok()) return full.status();
    read = std::move(*full);
  }
  return Remember(scripthash, std::move(*read), observed, observed_prefixes);
}

HistoryServiceImpl::SharedHistory HistoryServiceImpl::Remember(const chain::ScriptHash& scripthash,
                                                               HistoryWithPrefix read,
                                                               uint64_t observed_histories,
                                                               uint64_t observed_prefixes) {
  if (read.confirmed->items.size() >= options_.prefix_min_entries) {
    prefixes_.Store(scripthash, read.confirmed, observed_prefixes,
                    64 + read.confirmed->items.size() * sizeof(HistoryItem));
  }
  SharedHistory history = std::move(read.history);
  // Without mempool entries the history is the prefix's items: both caches
  // then charge the one copy, which errs on the side of the budget.
  histories_.Store(scripthash, history, observed_histories,
                   64 + history->size() * sizeof(HistoryItem));
  return history;
}

grpc::Status HistoryServiceImpl::GetHistory(grpc::ServerContext* context,
                                            const v1::GetHistoryRequest* request,
                                            v1::GetHistoryResponse* response) {
  auto scripthash = ParseScriptHash(request->script_hash());
  if (!scripthash.ok()) return ToGrpcStatus(scripthash.status());
  const size_t limit = request->max_entries() == 0
                           ? options_.max_history_entries
                           : std::min<size_t>(request->max_entries(), options_.max_history_entries);
  absl::StatusOr<SharedHistory> loaded = HistoryFor(context, *scripthash);
  if (!loaded.ok()) return ToGrpcStatus(loaded.status());
  const std::vector<HistoryItem>& history = **loaded;
  if (history.size() > limit) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        absl::StrCat("history too large: more than ", limit, " entries"));
  }
  std::string* txids = response->mutable_txids();
  txids->reserve(history.size() * 32);
  response->mutable_heights()->Reserve(static_cast<int>(history.size()));
  response->mutable_fees()->Reserve(static_cast<int>(history.size()));
  for (const HistoryItem& item : history) {
    txids->append(reinterpret_cast<const char*>(item.txid.internal().data()), 32);
    response->add_heights(item.height);
    response->add_fees(item.fee);
  }
  return grpc::Status::OK;
}

grpc::Status HistoryServiceImpl::GetMempoolHistory(grpc::ServerContext* context,
                                                   const v1::GetMempoolHistoryRequest* request,
                                                   v1::GetMempoolHistoryResponse* response) {
  auto scripthash = ParseScriptHash(request->script_hash());
  if (!scripthash.ok()) return ToGrpcStatus(scripthash.status());
  return services::WithDatabaseStatements(
      context, database_, "reading mempool history", [&](Session& snapshot) -> absl::Status {
        auto history = storage::ReadMempoolHistory(snapshot, *scripthash);
        if (!history.ok()) return history.status();
        for (const HistoryItem& item : *history) Fill(item, response->add_entries());
        return absl::OkStatus();
      });
}

grpc::Status HistoryServiceImpl::GetStatus(grpc::ServerContext* context,
                                           const v1::GetStatusRequest* request,
                                           v1::GetStatusResponse* response) {
  auto scripthash = ParseScriptHash(request->script_hash());
  if (!scripthash.ok()) return ToGrpcStatus(scripthash.status());
  response->mutable_status()->set_script_hash(request->script_hash());
  if (std::optional<std::optional<Sha256Digest>> cached = statuses_.Find(*scripthash)) {
    if (*cached) response->mutable_status()->set_status(Bytes(**cached));
    return grpc::Status::OK;
  }
  absl::StatusOr<ComputedStatus> computed =
      status_batcher_.Get(*scripthash, [&](const std::vector<chain::ScriptHash>& batch) {
        return ComputeStatusesInOrder(context, batch);
      });
  if (!computed.ok()) return ToGrpcStatus(computed.status());
  if (computed->too_large) {
    return grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        absl::StrCat("history too large: more than ", options_.max_history_entries, " entries"));
  }
  if (computed->status) response->mutable_status()->set_status(Bytes(*computed->status));
  return grpc::Status::OK;
}

}  // namespace electrum::history
