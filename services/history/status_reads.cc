// Statuses for GetStatus and Watch. A status comes from the status cache,
// from a cached history, from a kept confirmed part extended by what
// followed it (its items, or for a history too long to keep, the hash
// state after it), or from a read: a script hash alone is streamed, so a
// long history is hashed as its rows arrive; more share one statement per
// batch.
#include "absl/container/flat_hash_map.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "services/history/history_service.h"
#include "storage/address_index/address_queries.h"
#include "storage/address_index/status_queries.h"
#include "storage/pg/pooled_session.h"

namespace electrum::history {
namespace {

// One statement for at most this many script hashes.
constexpr size_t kStatusBatch = 512;

}  // namespace

HistoryServiceImpl::Observed HistoryServiceImpl::ObserveCaches() const {
  return {statuses_.Observe(), histories_.Observe(), prefixes_.Observe(),
          status_prefixes_.Observe()};
}

HistoryServiceImpl::ComputedStatus HistoryServiceImpl::Record(const chain::ScriptHash& scripthash,
                                                              StatusRead read,
                                                              const Observed& observed) {
  if (read.too_large) return {scripthash, std::nullopt, true};
  if (read.history) {
    Remember(scripthash, std::move(*read.history), observed.histories, observed.prefixes);
  }
  if (read.prefix) {
    status_prefixes_.Store(scripthash, read.prefix, observed.status_prefixes,
                           64 + sizeof(StatusPrefix));
  }
  statuses_.Store(scripthash, read.status, observed.statuses);
  return {scripthash, read.status, false};
}

absl::StatusOr<std::optional<HistoryServiceImpl::ComputedStatus>> HistoryServiceImpl::KnownStatus(
    pqxx::transaction_base& session, const chain::ScriptHash& scripthash) {
  const Observed observed = ObserveCaches();
  if (std::optional<std::optional<Sha256Digest>> cached = statuses_.Find(scripthash)) {
    return ComputedStatus{scripthash, *cached, false};
  }
  if (std::optional<SharedHistory> history = histories_.Find(scripthash)) {
    const std::optional<Sha256Digest> status = storage::StatusOf(**history);
    statuses_.Store(scripthash, status, observed.statuses);
    return ComputedStatus{scripthash, status, false};
  }
  if (prefixes_.Find(scripthash)) {
    // A long history read before: extending it beats reading it again.
    absl::StatusOr<SharedHistory> extended = LoadHistory(session, scripthash);
    if (extended.status().code() == absl::StatusCode::kResourceExhausted) {
      return ComputedStatus{scripthash, std::nullopt, true};
    }
    RETURN_IF_ERROR(extended.status());
    const std::optional<Sha256Digest> status = storage::StatusOf(**extended);
    statuses_.Store(scripthash, status, observed.statuses);
    return ComputedStatus{scripthash, status, false};
  }
  if (std::optional<std::shared_ptr<const StatusPrefix>> prefix =
          status_prefixes_.Find(scripthash)) {
    ASSIGN_OR_RETURN(
        std::optional<StatusRead> extended,
        storage::ExtendStatus(session, scripthash, **prefix, options_.max_history_entries));
    if (extended) return Record(scripthash, std::move(*extended), observed);
  }
  return std::nullopt;
}

absl::Status HistoryServiceImpl::ReadStatusBatch(pqxx::transaction_base& session,
                                                 const std::vector<chain::ScriptHash>& batch,
                                                 std::vector<ComputedStatus>& out) {
  const Observed observed = ObserveCaches();
  if (batch.size() == 1) {
    ASSIGN_OR_RETURN(StatusRead read,
                     storage::ReadStatus(session, batch[0], options_.max_history_entries,
                                         options_.status_keep_up_to));
    out.push_back(Record(batch[0], std::move(read), observed));
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(auto histories,
                   storage::ReadHistories(session, batch, options_.max_history_entries));
  for (size_t i = 0; i < batch.size(); ++i) {
    ASSIGN_OR_RETURN(StatusRead read, storage::StatusReadOf(std::move(histories[i])));
    out.push_back(Record(batch[i], std::move(read), observed));
  }
  return absl::OkStatus();
}

absl::Status HistoryServiceImpl::ComputeStatuses(pqxx::transaction_base& session,
                                                 const std::vector<chain::ScriptHash>& scripthashes,
                                                 std::vector<ComputedStatus>& out) {
  std::vector<chain::ScriptHash> missing;
  for (const chain::ScriptHash& scripthash : scripthashes) {
    ASSIGN_OR_RETURN(std::optional<ComputedStatus> known, KnownStatus(session, scripthash));
    if (known) {
      out.push_back(std::move(*known));
    } else {
      missing.push_back(scripthash);
    }
  }
  for (size_t from = 0; from < missing.size(); from += kStatusBatch) {
    const std::vector<chain::ScriptHash> batch(
        missing.begin() + from, missing.begin() + std::min(missing.size(), from + kStatusBatch));
    RETURN_IF_ERROR(ReadStatusBatch(session, batch, out));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<HistoryServiceImpl::ComputedStatus>>
HistoryServiceImpl::ComputeStatusesInOrder(std::optional<int64_t> milliseconds_left,
                                           const std::vector<chain::ScriptHash>& scripthashes) {
  std::vector<ComputedStatus> computed;
  RETURN_IF_ERROR(storage::WithPooledSession(
      database_, milliseconds_left, "computing a status", [&](pqxx::transaction_base& snapshot) {
        return ComputeStatuses(snapshot, scripthashes, computed);
      }));
  absl::flat_hash_map<chain::ScriptHash, const ComputedStatus*> by_scripthash;
  for (const ComputedStatus& one : computed) by_scripthash[one.scripthash] = &one;
  std::vector<ComputedStatus> ordered;
  ordered.reserve(scripthashes.size());
  for (const chain::ScriptHash& scripthash : scripthashes) {
    auto it = by_scripthash.find(scripthash);
    if (it == by_scripthash.end()) return absl::InternalError("a status went missing");
    ordered.push_back(*it->second);
  }
  return ordered;
}

}  // namespace electrum::history
