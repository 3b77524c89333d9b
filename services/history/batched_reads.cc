// GetBalances, GetHistories, ListUnspents and GetStatuses: each script hash
// is answered as its single call would be (a cache, or the same batchers,
// so a batched call and concurrent single calls share statements), and the
// answers are gathered into one response.
#include "pqxx/pqxx"
#include "services/common/gather.h"
#include "services/common/unary_reactor.h"
#include "services/history/history_service.h"
#include "services/history/request_parsing.h"
#include "services/history/response_filling.h"

namespace electrum::history {
namespace {

using services::Gather;

// A batched call: its script hashes parsed (at most `most`), each answered
// through `value_for` (the single call's path, a HistoryServiceImpl::*For),
// and `finish` making the response from the answers in order and returning
// the call's status.
template <typename Value, typename Request, typename Finish>
grpc::ServerUnaryReactor* AnswerEach(
    grpc::CallbackServerContext* context, const Request& request, size_t most,
    HistoryServiceImpl* service,
    void (HistoryServiceImpl::*value_for)(const chain::ScriptHash&,
                                          std::chrono::system_clock::time_point,
                                          std::function<void(absl::StatusOr<Value>)>),
    Finish finish) {
  absl::StatusOr<std::vector<chain::ScriptHash>> scripthashes =
      ParseScriptHashes(request.script_hashes(), most);
  if (!scripthashes.ok()) return services::FinishNow(context, scripthashes.status());
  if (scripthashes->empty()) return services::FinishNow(context, grpc::Status::OK);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto gather = Gather<Value>::Make(
      scripthashes->size(),
      [reactor, finish = std::move(finish)](std::vector<absl::StatusOr<Value>> values) {
        reactor->Finish(finish(values));
      });
  for (size_t i = 0; i < scripthashes->size(); ++i) {
    (service->*value_for)((*scripthashes)[i], context->deadline(),
                          Gather<Value>::SlotOf(gather, i));
  }
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* HistoryServiceImpl::GetBalances(grpc::CallbackServerContext* context,
                                                          const v1::GetBalancesRequest* request,
                                                          v1::GetBalancesResponse* response) {
  // A balance has no error of its own: one that failed fails the call.
  return AnswerEach<Balance>(context, *request, options_.max_batch_scripthashes, this,
                             &HistoryServiceImpl::BalanceFor,
                             [response](const std::vector<absl::StatusOr<Balance>>& balances) {
                               for (const absl::StatusOr<Balance>& balance : balances) {
                                 if (!balance.ok()) return ToGrpcStatus(balance.status());
                                 FillBalance(*balance, response->add_balances());
                               }
                               return grpc::Status::OK;
                             });
}

grpc::ServerUnaryReactor* HistoryServiceImpl::GetHistories(grpc::CallbackServerContext* context,
                                                           const v1::GetHistoriesRequest* request,
                                                           v1::GetHistoriesResponse* response) {
  const size_t limit = HistoryLimit(request->max_entries());
  return AnswerEach<SharedHistory>(
      context, *request, options_.max_batch_scripthashes, this, &HistoryServiceImpl::HistoryFor,
      [response, limit](const std::vector<absl::StatusOr<SharedHistory>>& histories) {
        for (size_t i = 0; i < histories.size(); ++i) {
          v1::GetHistoryResponse* result = response->add_results();
          grpc::Status filled = FillHistory(histories[i], limit, result);
          if (!filled.ok()) {
            result->Clear();
            AddBatchError(response->mutable_errors(), i, filled);
          }
        }
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* HistoryServiceImpl::ListUnspents(grpc::CallbackServerContext* context,
                                                           const v1::ListUnspentsRequest* request,
                                                           v1::ListUnspentsResponse* response) {
  return AnswerEach<SharedUnspent>(
      context, *request, options_.max_batch_scripthashes, this, &HistoryServiceImpl::UnspentFor,
      [response](const std::vector<absl::StatusOr<SharedUnspent>>& lists) {
        for (size_t i = 0; i < lists.size(); ++i) {
          grpc::Status filled = FillUnspent(lists[i], response->add_results());
          if (!filled.ok()) AddBatchError(response->mutable_errors(), i, filled);
        }
        return grpc::Status::OK;
      });
}

grpc::ServerUnaryReactor* HistoryServiceImpl::GetStatuses(grpc::CallbackServerContext* context,
                                                          const v1::GetStatusesRequest* request,
                                                          v1::GetStatusesResponse* response) {
  using Status = std::optional<Sha256Digest>;
  // A history too large to hash is that script hash's own error; any other
  // failure (the database) fails the call.
  return AnswerEach<Status>(
      context, *request, options_.max_batch_scripthashes, this, &HistoryServiceImpl::StatusFor,
      [request, response](const std::vector<absl::StatusOr<Status>>& statuses) {
        for (size_t i = 0; i < statuses.size(); ++i) {
          v1::ScriptHashStatus* out = response->add_statuses();
          out->set_script_hash(request->script_hashes(static_cast<int>(i)));
          if (statuses[i].ok()) {
            if (*statuses[i]) out->set_status(Bytes(**statuses[i]));
          } else if (statuses[i].status().code() == absl::StatusCode::kResourceExhausted) {
            AddBatchError(response->mutable_errors(), i, ToGrpcStatus(statuses[i].status()));
          } else {
            response->Clear();
            return ToGrpcStatus(statuses[i].status());
          }
        }
        return grpc::Status::OK;
      });
}

}  // namespace electrum::history
