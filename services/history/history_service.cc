#include "services/history/history_service.h"

#include "absl/strings/str_cat.h"
#include "common/grpc/status_conversion.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "services/common/deadline.h"
#include "services/common/unary_reactor.h"
#include "services/history/request_parsing.h"
#include "services/history/response_filling.h"
#include "storage/address_index/address_queries.h"
#include "storage/pg/pooled_session.h"

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

absl::Status HistoryServiceImpl::TooLarge(size_t limit) {
  return absl::ResourceExhaustedError(
      absl::StrCat("history too large: more than ", limit, " entries"));
}

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

grpc::ServerUnaryReactor* HistoryServiceImpl::GetHistory(grpc::CallbackServerContext* context,
                                                         const v1::GetHistoryRequest* request,
                                                         v1::GetHistoryResponse* response) {
  auto scripthash = ParseScriptHash(request->script_hash());
  if (!scripthash.ok()) return services::FinishNow(context, scripthash.status());
  const size_t limit = HistoryLimit(request->max_entries());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  HistoryFor(*scripthash, context->deadline(),
             [reactor, response, limit](absl::StatusOr<SharedHistory> read) {
               reactor->Finish(FillHistory(read, limit, response));
             });
  return reactor;
}

grpc::ServerUnaryReactor* HistoryServiceImpl::GetMempoolHistory(
    grpc::CallbackServerContext* context, const v1::GetMempoolHistoryRequest* request,
    v1::GetMempoolHistoryResponse* response) {
  auto scripthash = ParseScriptHash(request->script_hash());
  if (!scripthash.ok()) return services::FinishNow(context, scripthash.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  blocking_.Post(
      [this, reactor, response, scripthash = *scripthash, deadline = context->deadline()] {
        reactor->Finish(ToGrpcStatus(storage::WithPooledStatements(
            database_, services::MillisecondsUntil(deadline), "reading mempool history",
            [&](Session& snapshot) -> absl::Status {
              ASSIGN_OR_RETURN(std::vector<HistoryItem> history,
                               storage::ReadMempoolHistory(snapshot, scripthash));
              for (const HistoryItem& item : history) Fill(item, response->add_entries());
              return absl::OkStatus();
            })));
      });
  return reactor;
}

void HistoryServiceImpl::StatusFor(const chain::ScriptHash& scripthash,
                                   std::chrono::system_clock::time_point deadline,
                                   StatusDone done) {
  if (std::optional<std::optional<Sha256Digest>> cached = statuses_.Find(scripthash)) {
    return done(*cached);
  }
  status_batcher_.Get(scripthash, deadline,
                      [this, done = std::move(done)](absl::StatusOr<ComputedStatus> computed) {
                        if (!computed.ok()) return done(computed.status());
                        if (computed->too_large) return done(TooLarge());
                        done(computed->status);
                      });
}

grpc::ServerUnaryReactor* HistoryServiceImpl::GetStatus(grpc::CallbackServerContext* context,
                                                        const v1::GetStatusRequest* request,
                                                        v1::GetStatusResponse* response) {
  auto scripthash = ParseScriptHash(request->script_hash());
  if (!scripthash.ok()) return services::FinishNow(context, scripthash.status());
  response->mutable_status()->set_script_hash(request->script_hash());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  StatusFor(*scripthash, context->deadline(),
            [reactor, response](absl::StatusOr<std::optional<Sha256Digest>> status) {
              if (!status.ok()) return reactor->Finish(ToGrpcStatus(status.status()));
              if (*status) response->mutable_status()->set_status(Bytes(**status));
              reactor->Finish(grpc::Status::OK);
            });
  return reactor;
}

}  // namespace electrum::history
