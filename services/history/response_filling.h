// Typed reads into the service's response messages, the same way for single
// and batched calls.
#ifndef ELECTRUM_SERVICES_HISTORY_RESPONSE_FILLING_H_
#define ELECTRUM_SERVICES_HISTORY_RESPONSE_FILLING_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/grpc/status_conversion.h"
#include "electrum/v1/history.pb.h"
#include "grpcpp/grpcpp.h"
#include "services/history/request_parsing.h"
#include "storage/address_index/address_queries.h"

namespace electrum::history {

using storage::Balance;
using storage::HistoryItem;
using storage::Unspent;
using SharedHistory = std::shared_ptr<const std::vector<HistoryItem>>;
using SharedUnspent = std::shared_ptr<const std::vector<Unspent>>;

// `read`'s error, or RESOURCE_EXHAUSTED (`too_large`) past `limit` entries.
grpc::Status FillHistory(const absl::StatusOr<SharedHistory>& read, size_t limit,
                         v1::GetHistoryResponse* response);

grpc::Status FillUnspent(const absl::StatusOr<SharedUnspent>& list,
                         v1::ListUnspentResponse* response);

inline void FillBalance(const Balance& balance, v1::GetBalanceResponse* out) {
  out->set_confirmed(balance.confirmed);
  out->set_unconfirmed(balance.unconfirmed);
}

// Item `index` of a batched answer failed alone with `status`.
template <typename ErrorMap>
void AddBatchError(ErrorMap* errors, size_t index, const grpc::Status& status) {
  v1::BatchError& error = (*errors)[static_cast<uint32_t>(index)];
  error.set_code(static_cast<int32_t>(status.error_code()));
  error.set_message(status.error_message());
}

}  // namespace electrum::history

#endif  // ELECTRUM_SERVICES_HISTORY_RESPONSE_FILLING_H_
