#include "services/history/response_filling.h"

#include "pqxx/pqxx"
#include "services/history/history_service.h"

namespace electrum::history {

grpc::Status FillHistory(const absl::StatusOr<SharedHistory>& read, size_t limit,
                         v1::GetHistoryResponse* response) {
  if (!read.ok()) return ToGrpcStatus(read.status());
  const std::vector<HistoryItem>& history = **read;
  if (history.size() > limit) return ToGrpcStatus(HistoryServiceImpl::TooLarge(limit));
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

grpc::Status FillUnspent(const absl::StatusOr<SharedUnspent>& list,
                         v1::ListUnspentResponse* response) {
  if (!list.ok()) return ToGrpcStatus(list.status());
  response->mutable_outputs()->Reserve(static_cast<int>((*list)->size()));
  for (const Unspent& output : **list) {
    v1::UnspentOutput* out = response->add_outputs();
    out->set_txid(Bytes(output.txid.internal()));
    out->set_vout(output.vout);
    out->set_height(output.height);
    out->set_value(output.value);
  }
  return grpc::Status::OK;
}

}  // namespace electrum::history
