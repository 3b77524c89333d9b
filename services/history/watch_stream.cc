// The bidi Watch stream. A reader thread queues the caller's adds and
// removes; the handler's thread answers adds with current statuses and
// follows the change feed, sending only statuses that changed. Only the
// handler's thread writes to the stream.
#include <algorithm>
#include <mutex>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "services/common/database_call.h"
#include "services/history/history_service.h"
#include "services/history/request_parsing.h"

namespace electrum::history {

// What the two threads of one stream share, under `mutex`.
struct HistoryServiceImpl::WatchState {
  std::mutex mutex;
  std::vector<chain::ScriptHash> pending_adds;
  absl::flat_hash_map<chain::ScriptHash, std::optional<Sha256Digest>> watched;
  grpc::Status failure = grpc::Status::OK;
  bool reader_done = false;
};

void HistoryServiceImpl::ReadWatchRequests(WatchStream* stream, WatchState& state) {
  v1::WatchRequest request;
  while (stream->Read(&request)) {
    std::lock_guard<std::mutex> lock(state.mutex);
    for (const std::string& bytes : request.remove()) {
      auto scripthash = ParseScriptHash(bytes);
      if (!scripthash.ok()) continue;
      state.watched.erase(*scripthash);
      std::erase(state.pending_adds, *scripthash);
    }
    for (const std::string& bytes : request.add()) {
      auto scripthash = ParseScriptHash(bytes);
      if (!scripthash.ok()) {
        state.failure = ToGrpcStatus(scripthash.status());
        break;
      }
      if (state.watched.size() + state.pending_adds.size() >= options_.max_watched_per_stream) {
        state.failure = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                     absl::StrCat("more than ", options_.max_watched_per_stream,
                                                  " script hashes watched on one stream"));
        break;
      }
      state.pending_adds.push_back(*scripthash);
    }
    if (!state.failure.ok()) break;
  }
  std::lock_guard<std::mutex> lock(state.mutex);
  state.reader_done = true;
}

bool HistoryServiceImpl::SendStatuses(WatchStream* stream, WatchState& state,
                                      const std::vector<ComputedStatus>& statuses,
                                      bool only_changed) {
  v1::WatchEvent event;
  {
    std::lock_guard<std::mutex> lock(state.mutex);
    for (const ComputedStatus& computed : statuses) {
      auto it = state.watched.find(computed.scripthash);
      if (only_changed) {
        if (it == state.watched.end() || it->second == computed.status) continue;
      }
      state.watched[computed.scripthash] = computed.status;
      // A history too large to hash stops being watched (ElectrumX drops
      // such a subscription with a null status).
      if (computed.too_large) state.watched.erase(computed.scripthash);
      v1::ScriptHashStatus* out = event.add_statuses();
      out->set_script_hash(Bytes(computed.scripthash.internal()));
      if (computed.status) out->set_status(Bytes(*computed.status));
    }
  }
  return event.statuses_size() == 0 || stream->Write(event);
}

grpc::Status HistoryServiceImpl::Watch(grpc::ServerContext* context, WatchStream* stream) {
  WatchState state;
  uint64_t seen = changes_.latest_sequence();
  std::thread reader([&] { ReadWatchRequests(stream, state); });
  while (!context->IsCancelled()) {
    std::vector<chain::ScriptHash> adds;
    {
      std::lock_guard<std::mutex> lock(state.mutex);
      if (!state.failure.ok() || (state.reader_done && state.pending_adds.empty())) break;
      adds.swap(state.pending_adds);
    }
    std::optional<ChangeSet> change =
        changes_.WaitAfter(seen, adds.empty() ? options_.watch_poll : std::chrono::milliseconds(0));
    std::vector<chain::ScriptHash> changed;
    if (change) {
      seen = change->sequence;
      std::lock_guard<std::mutex> lock(state.mutex);
      for (const auto& [scripthash, status] : state.watched) {
        if (change->everything || change->scripthashes.contains(scripthash)) {
          changed.push_back(scripthash);
        }
      }
    }
    if (adds.empty() && changed.empty()) continue;
    std::vector<ComputedStatus> added_statuses, changed_statuses;
    grpc::Status computed = services::WithDatabase(
        context, database_, "computing statuses", [&](pqxx::transaction_base& snapshot) {
          absl::Status status = ComputeStatuses(snapshot, adds, added_statuses);
          if (!status.ok()) return status;
          return ComputeStatuses(snapshot, changed, changed_statuses);
        });
    if (!computed.ok()) {
      std::lock_guard<std::mutex> lock(state.mutex);
      state.failure = computed;
      break;
    }
    if (!SendStatuses(stream, state, added_statuses, false) ||
        !SendStatuses(stream, state, changed_statuses, true)) {
      break;
    }
  }
  {
    // Unblock the reader's Read() unless the client already closed its side.
    std::lock_guard<std::mutex> lock(state.mutex);
    if (!state.reader_done) context->TryCancel();
  }
  reader.join();
  std::lock_guard<std::mutex> lock(state.mutex);
  return state.failure;
}

}  // namespace electrum::history
