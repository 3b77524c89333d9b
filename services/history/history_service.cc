#include "services/history/history_service.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/container/flat_hash_map.h"
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

grpc::Status HistoryServiceImpl::Watch(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::WatchEvent, v1::WatchRequest>* stream) {
  // The reader thread queues adds and removes; this thread answers adds and
  // follows the change feed. Only this thread writes to the stream.
  std::mutex mutex;
  std::vector<chain::ScriptHash> pending_adds;
  absl::flat_hash_map<chain::ScriptHash, std::optional<Sha256Digest>> watched;
  grpc::Status failure = grpc::Status::OK;
  bool reader_done = false;
  uint64_t seen = changes_.latest_sequence();

  std::thread reader([&] {
    v1::WatchRequest request;
    while (stream->Read(&request)) {
      std::lock_guard<std::mutex> lock(mutex);
      for (const std::string& bytes : request.remove()) {
        auto scripthash = ParseScriptHash(bytes);
        if (!scripthash.ok()) continue;
        watched.erase(*scripthash);
        pending_adds.erase(std::remove(pending_adds.begin(), pending_adds.end(), *scripthash),
                           pending_adds.end());
      }
      for (const std::string& bytes : request.add()) {
        auto scripthash = ParseScriptHash(bytes);
        if (!scripthash.ok()) {
          failure = ToGrpcStatus(scripthash.status());
          break;
        }
        if (watched.size() + pending_adds.size() >= options_.max_watched_per_stream) {
          failure = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 absl::StrCat("more than ", options_.max_watched_per_stream,
                                              " script hashes watched on one stream"));
          break;
        }
        pending_adds.push_back(*scripthash);
      }
      if (!failure.ok()) break;
    }
    std::lock_guard<std::mutex> lock(mutex);
    reader_done = true;
  });

  auto send = [&](const std::vector<ComputedStatus>& statuses, bool only_changed) -> bool {
    v1::WatchEvent event;
    {
      std::lock_guard<std::mutex> lock(mutex);
      for (const ComputedStatus& computed : statuses) {
        auto it = watched.find(computed.scripthash);
        if (only_changed) {
          if (it == watched.end() || it->second == computed.status) continue;
        }
        watched[computed.scripthash] = computed.status;
        // A history too large to hash stops being watched (ElectrumX
        // drops such a subscription with a null status).
        if (computed.too_large) watched.erase(computed.scripthash);
        v1::ScriptHashStatus* out = event.add_statuses();
        out->set_script_hash(Bytes(computed.scripthash.internal()));
        if (computed.status) out->set_status(Bytes(*computed.status));
      }
    }
    return event.statuses_size() == 0 || stream->Write(event);
  };

  while (!context->IsCancelled()) {
    std::vector<chain::ScriptHash> adds;
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (!failure.ok() || (reader_done && pending_adds.empty())) break;
      adds.swap(pending_adds);
    }
    std::vector<ComputedStatus> statuses;
    std::optional<ChangeSet> change =
        changes_.WaitAfter(seen, adds.empty() ? options_.watch_poll : std::chrono::milliseconds(0));
    std::vector<chain::ScriptHash> changed;
    if (change) {
      seen = change->sequence;
      std::lock_guard<std::mutex> lock(mutex);
      for (const auto& [scripthash, status] : watched) {
        if (change->everything || change->scripthashes.contains(scripthash)) {
          changed.push_back(scripthash);
        }
      }
    }
    if (adds.empty() && changed.empty()) continue;
    std::vector<ComputedStatus> added_statuses;
    grpc::Status computed =
        services::WithDatabase(context, database_, "computing statuses", [&](Session& snapshot) {
          absl::Status status = ComputeStatuses(snapshot, adds, added_statuses);
          if (!status.ok()) return status;
          return ComputeStatuses(snapshot, changed, statuses);
        });
    if (!computed.ok()) {
      std::lock_guard<std::mutex> lock(mutex);
      failure = computed;
      break;
    }
    if (!send(added_statuses, false) || !send(statuses, true)) break;
  }
  {
    // Unblock the reader's Read() unless the client already closed its side.
    std::lock_guard<std::mutex> lock(mutex);
    if (!reader_done) context->TryCancel();
  }
  reader.join();
  std::lock_guard<std::mutex> lock(mutex);
  return failure;
}

}  // namespace electrum::history
