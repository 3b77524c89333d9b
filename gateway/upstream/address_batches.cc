#include "gateway/upstream/address_batches.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/grpc/status_conversion.h"
#include "services/common/gather.h"

namespace electrum::gateway {
namespace {

using HistoryAsync = v1::AddressHistoryService::StubInterface::async_interface;

// One batched call's request, response and context, alive until answered.
template <typename Request, typename Response>
struct BatchCall {
  grpc::ClientContext context;
  Request request;
  Response response;
};

// Starts `method` with the keys; `answer` gets the per-key values
// `split(response)` makes.
template <typename Value, typename Request, typename Response, typename Split>
void SendBatch(HistoryAsync* async,
               void (HistoryAsync::*method)(grpc::ClientContext*, const Request*, Response*,
                                            std::function<void(grpc::Status)>),
               std::shared_ptr<BatchCall<Request, Response>> call, std::vector<std::string> keys,
               std::chrono::milliseconds timeout, typename CallCoalescer<Value>::Answer answer,
               Split split) {
  for (std::string& key : keys) call->request.add_script_hashes(std::move(key));
  call->context.set_deadline(std::chrono::system_clock::now() + timeout);
  (async->*method)(&call->context, &call->request, &call->response,
                   [call, answer = std::move(answer), split](grpc::Status status) {
                     if (!status.ok()) return answer(FromGrpcStatus(status));
                     answer(split(call->response));
                   });
}

// Each key in a call of its own (the single method, `configure` applied),
// the answers gathered in order.
template <typename Value, typename Request>
void SendEachAlone(HistoryAsync* async,
                   void (HistoryAsync::*method)(grpc::ClientContext*, const Request*, Value*,
                                                std::function<void(grpc::Status)>),
                   const std::vector<std::string>& keys, std::chrono::milliseconds timeout,
                   typename CallCoalescer<Value>::Answer answer,
                   const std::function<void(Request&)>& configure) {
  auto gather = services::Gather<Value>::Make(keys.size(), std::move(answer));
  for (size_t i = 0; i < keys.size(); ++i) {
    auto call = std::make_shared<BatchCall<Request, Value>>();
    call->request.set_script_hash(keys[i]);
    configure(call->request);
    call->context.set_deadline(std::chrono::system_clock::now() + timeout);
    (async->*method)(
        &call->context, &call->request, &call->response,
        [call, slot = services::Gather<Value>::SlotOf(gather, i)](grpc::Status status) {
          if (!status.ok()) return slot(FromGrpcStatus(status));
          slot(std::move(call->response));
        });
  }
}

// A batched call's answer, or, when the batch as a whole was too large (its
// response past the message limit), each key asked alone.
template <typename Value, typename Request>
typename CallCoalescer<Value>::Answer OrEachAlone(
    HistoryAsync* async,
    void (HistoryAsync::*method)(grpc::ClientContext*, const Request*, Value*,
                                 std::function<void(grpc::Status)>),
    std::vector<std::string> keys, std::chrono::milliseconds timeout,
    typename CallCoalescer<Value>::Answer answer, std::function<void(Request&)> configure) {
  return [=](absl::StatusOr<typename CallCoalescer<Value>::Values> values) {
    if (values.status().code() != absl::StatusCode::kResourceExhausted || keys.size() < 2) {
      return answer(std::move(values));
    }
    SendEachAlone<Value, Request>(async, method, keys, timeout, answer, configure);
  };
}

// The error a batched response records for its item `i`, if any.
template <typename Response>
std::optional<absl::Status> ErrorAt(const Response& response, int i) {
  const auto error = response.errors().find(static_cast<uint32_t>(i));
  if (error == response.errors().end()) return std::nullopt;
  return FromGrpcStatus(
      grpc::Status(static_cast<grpc::StatusCode>(error->second.code()), error->second.message()));
}

// A batched response's results, with the errors of those that failed alone.
template <typename Response>
auto SplitWithErrors(Response& response) {
  using Value = std::remove_reference_t<decltype(*response.mutable_results(0))>;
  typename CallCoalescer<Value>::Values values;
  values.reserve(response.results_size());
  for (int i = 0; i < response.results_size(); ++i) {
    if (std::optional<absl::Status> error = ErrorAt(response, i)) {
      values.push_back(*std::move(error));
    } else {
      values.push_back(std::move(*response.mutable_results(i)));
    }
  }
  return values;
}

// GetStatuses' statuses as single GetStatus answers.
CallCoalescer<v1::GetStatusResponse>::Values SplitStatuses(v1::GetStatusesResponse& response) {
  CallCoalescer<v1::GetStatusResponse>::Values values;
  values.reserve(response.statuses_size());
  for (int i = 0; i < response.statuses_size(); ++i) {
    if (std::optional<absl::Status> error = ErrorAt(response, i)) {
      values.push_back(*std::move(error));
      continue;
    }
    v1::GetStatusResponse one;
    *one.mutable_status() = std::move(*response.mutable_statuses(i));
    values.push_back(std::move(one));
  }
  return values;
}

}  // namespace

AddressBatches::AddressBatches(v1::AddressHistoryService::StubInterface* history,
                               CoalescerLimits limits, uint32_t max_history_entries)
    : history_(history),
      max_history_entries_(max_history_entries),
      balances_(limits,
                [this](std::vector<std::string> keys, std::chrono::milliseconds timeout,
                       CallCoalescer<v1::GetBalanceResponse>::Answer answer) {
                  using Call = BatchCall<v1::GetBalancesRequest, v1::GetBalancesResponse>;
                  SendBatch<v1::GetBalanceResponse>(
                      history_->async(), &HistoryAsync::GetBalances, std::make_shared<Call>(),
                      std::move(keys), timeout, std::move(answer),
                      [](v1::GetBalancesResponse& response) {
                        CallCoalescer<v1::GetBalanceResponse>::Values values;
                        for (auto& balance : *response.mutable_balances()) {
                          values.push_back(std::move(balance));
                        }
                        return values;
                      });
                }),
      unspents_(limits,
                [this](std::vector<std::string> keys, std::chrono::milliseconds timeout,
                       CallCoalescer<v1::ListUnspentResponse>::Answer answer) {
                  using Call = BatchCall<v1::ListUnspentsRequest, v1::ListUnspentsResponse>;
                  auto fallback = OrEachAlone<v1::ListUnspentResponse, v1::ListUnspentRequest>(
                      history_->async(), &HistoryAsync::ListUnspent, keys, timeout,
                      std::move(answer), [](v1::ListUnspentRequest&) {});
                  SendBatch<v1::ListUnspentResponse>(
                      history_->async(), &HistoryAsync::ListUnspents, std::make_shared<Call>(),
                      std::move(keys), timeout, std::move(fallback),
                      [](v1::ListUnspentsResponse& response) { return SplitWithErrors(response); });
                }),
      histories_(
          limits,
          [this](std::vector<std::string> keys, std::chrono::milliseconds timeout,
                 CallCoalescer<v1::GetHistoryResponse>::Answer answer) {
            using Call = BatchCall<v1::GetHistoriesRequest, v1::GetHistoriesResponse>;
            auto call = std::make_shared<Call>();
            call->request.set_max_entries(max_history_entries_);
            auto fallback = OrEachAlone<v1::GetHistoryResponse, v1::GetHistoryRequest>(
                history_->async(), &HistoryAsync::GetHistory, keys, timeout, std::move(answer),
                [this](v1::GetHistoryRequest& request) {
                  request.set_max_entries(max_history_entries_);
                });
            SendBatch<v1::GetHistoryResponse>(
                history_->async(), &HistoryAsync::GetHistories, std::move(call), std::move(keys),
                timeout, std::move(fallback),
                [](v1::GetHistoriesResponse& response) { return SplitWithErrors(response); });
          }),
      statuses_(limits, [this](std::vector<std::string> keys, std::chrono::milliseconds timeout,
                               CallCoalescer<v1::GetStatusResponse>::Answer answer) {
        using Call = BatchCall<v1::GetStatusesRequest, v1::GetStatusesResponse>;
        SendBatch<v1::GetStatusResponse>(history_->async(), &HistoryAsync::GetStatuses,
                                         std::make_shared<Call>(), std::move(keys), timeout,
                                         std::move(answer), SplitStatuses);
      }) {}

}  // namespace electrum::gateway
