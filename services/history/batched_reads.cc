// GetBalances, GetHistories and ListUnspents: each script hash is answered
// as its single call would be (a cache, or the same batchers, so a batched
// call and concurrent single calls share statements), and the answers are
// gathered into one response.
#include "pqxx/pqxx"
#include "services/common/gather.h"
#include "services/common/unary_reactor.h"
#include "services/history/history_service.h"
#include "services/history/request_parsing.h"
#include "services/history/response_filling.h"

namespace electrum::history {

using services::Gather;

grpc::ServerUnaryReactor* HistoryServiceImpl::GetBalances(grpc::CallbackServerContext* context,
                                                          const v1::GetBalancesRequest* request,
                                                          v1::GetBalancesResponse* response) {
  absl::StatusOr<std::vector<chain::ScriptHash>> scripthashes =
      ParseScriptHashes(request->script_hashes(), options_.max_batch_scripthashes);
  if (!scripthashes.ok()) return services::FinishNow(context, scripthashes.status());
  if (scripthashes->empty()) return services::FinishNow(context, grpc::Status::OK);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // A balance has no error of its own: one that failed fails the call.
  auto gather = Gather<Balance>::Make(
      scripthashes->size(), [reactor, response](std::vector<absl::StatusOr<Balance>> balances) {
        for (const absl::StatusOr<Balance>& balance : balances) {
          if (!balance.ok()) return reactor->Finish(ToGrpcStatus(balance.status()));
          FillBalance(*balance, response->add_balances());
        }
        reactor->Finish(grpc::Status::OK);
      });
  for (size_t i = 0; i < scripthashes->size(); ++i) {
    BalanceFor((*scripthashes)[i], context->deadline(), Gather<Balance>::SlotOf(gather, i));
  }
  return reactor;
}

grpc::ServerUnaryReactor* HistoryServiceImpl::GetHistories(grpc::CallbackServerContext* context,
                                                           const v1::GetHistoriesRequest* request,
                                                           v1::GetHistoriesResponse* response) {
  absl::StatusOr<std::vector<chain::ScriptHash>> scripthashes =
      ParseScriptHashes(request->script_hashes(), options_.max_batch_scripthashes);
  if (!scripthashes.ok()) return services::FinishNow(context, scripthashes.status());
  if (scripthashes->empty()) return services::FinishNow(context, grpc::Status::OK);
  const size_t limit = HistoryLimit(request->max_entries());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto gather = Gather<SharedHistory>::Make(
      scripthashes->size(),
      [reactor, response, limit](std::vector<absl::StatusOr<SharedHistory>> histories) {
        for (size_t i = 0; i < histories.size(); ++i) {
          v1::GetHistoryResponse* result = response->add_results();
          grpc::Status filled = FillHistory(histories[i], limit, result);
          if (!filled.ok()) {
            result->Clear();
            AddBatchError(response->mutable_errors(), i, filled);
          }
        }
        reactor->Finish(grpc::Status::OK);
      });
  for (size_t i = 0; i < scripthashes->size(); ++i) {
    HistoryFor((*scripthashes)[i], context->deadline(), Gather<SharedHistory>::SlotOf(gather, i));
  }
  return reactor;
}

grpc::ServerUnaryReactor* HistoryServiceImpl::ListUnspents(grpc::CallbackServerContext* context,
                                                           const v1::ListUnspentsRequest* request,
                                                           v1::ListUnspentsResponse* response) {
  absl::StatusOr<std::vector<chain::ScriptHash>> scripthashes =
      ParseScriptHashes(request->script_hashes(), options_.max_batch_scripthashes);
  if (!scripthashes.ok()) return services::FinishNow(context, scripthashes.status());
  if (scripthashes->empty()) return services::FinishNow(context, grpc::Status::OK);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto gather = Gather<SharedUnspent>::Make(
      scripthashes->size(), [reactor, response](std::vector<absl::StatusOr<SharedUnspent>> lists) {
        for (size_t i = 0; i < lists.size(); ++i) {
          grpc::Status filled = FillUnspent(lists[i], response->add_results());
          if (!filled.ok()) AddBatchError(response->mutable_errors(), i, filled);
        }
        reactor->Finish(grpc::Status::OK);
      });
  for (size_t i = 0; i < scripthashes->size(); ++i) {
    UnspentFor((*scripthashes)[i], context->deadline(), Gather<SharedUnspent>::SlotOf(gather, i));
  }
  return reactor;
}

grpc::ServerUnaryReactor* HistoryServiceImpl::GetStatuses(grpc::CallbackServerContext* context,
                                                          const v1::GetStatusesRequest* request,
                                                          v1::GetStatusesResponse* response) {
  absl::StatusOr<std::vector<chain::ScriptHash>> scripthashes =
      ParseScriptHashes(request->script_hashes(), options_.max_batch_scripthashes);
  if (!scripthashes.ok()) return services::FinishNow(context, scripthashes.status());
  if (scripthashes->empty()) return services::FinishNow(context, grpc::Status::OK);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  using Status = std::optional<Sha256Digest>;
  // A history too large to hash is that script hash's own error; any other
  // failure (the database) fails the call.
  auto gather = Gather<Status>::Make(
      scripthashes->size(),
      [reactor, request, response](std::vector<absl::StatusOr<Status>> statuses) {
        for (size_t i = 0; i < statuses.size(); ++i) {
          v1::ScriptHashStatus* out = response->add_statuses();
          out->set_script_hash(request->script_hashes(static_cast<int>(i)));
          if (statuses[i].ok()) {
            if (*statuses[i]) out->set_status(Bytes(**statuses[i]));
          } else if (statuses[i].status().code() == absl::StatusCode::kResourceExhausted) {
            AddBatchError(response->mutable_errors(), i, ToGrpcStatus(statuses[i].status()));
          } else {
            response->Clear();
            return reactor->Finish(ToGrpcStatus(statuses[i].status()));
          }
        }
        reactor->Finish(grpc::Status::OK);
      });
  for (size_t i = 0; i < scripthashes->size(); ++i) {
    StatusFor((*scripthashes)[i], context->deadline(), Gather<Status>::SlotOf(gather, i));
  }
  return reactor;
}

}  // namespace electrum::history
