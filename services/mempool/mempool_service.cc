#include "services/mempool/mempool_service.h"

#include "common/grpc/status_conversion.h"
#include "pqxx/pqxx"
#include "services/common/database_call.h"
#include "services/common/unary_reactor.h"
#include "storage/mempool_index/mempool_tables.h"

namespace electrum::mempool {

void MempoolServiceImpl::OnSequence(uint64_t sequence) {
  {
    std::lock_guard<std::mutex> lock(sequence_mutex_);
    sequence_ = std::max(sequence_, sequence);
  }
  sequence_changed_.notify_all();
}

void MempoolServiceImpl::Close() {
  {
    std::lock_guard<std::mutex> lock(sequence_mutex_);
    closed_ = true;
  }
  sequence_changed_.notify_all();
}

grpc::ServerUnaryReactor* MempoolServiceImpl::GetFeeHistogram(
    grpc::CallbackServerContext* context, const v1::GetFeeHistogramRequest*,
    v1::GetFeeHistogramResponse* response) {
  return services::FinishOnPool(blocking_, context,
                                [=, this] { return ServeGetFeeHistogram(context, response); });
}

grpc::ServerUnaryReactor* MempoolServiceImpl::GetMempoolInfo(grpc::CallbackServerContext* context,
                                                             const v1::GetMempoolInfoRequest*,
                                                             v1::GetMempoolInfoResponse* response) {
  return services::FinishOnPool(blocking_, context,
                                [=, this] { return ServeGetMempoolInfo(context, response); });
}

grpc::Status MempoolServiceImpl::ServeGetFeeHistogram(const grpc::ServerContextBase* context,
                                                      v1::GetFeeHistogramResponse* response) {
  std::lock_guard<std::mutex> lock(histogram_mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (!computed_ || now - computed_at_ >= options_.histogram_refresh) {
    std::vector<FeeAndSize> transactions;
    grpc::Status read = services::WithDatabase(
        context, database_, "reading mempool fees", [&](pqxx::transaction_base& session) {
          for (const storage::MempoolFee& row : storage::ReadMempoolFees(session)) {
            transactions.push_back({row.fee, row.vsize});
          }
          return absl::OkStatus();
        });
    if (!read.ok()) return read;
    histogram_ = CompactFeeHistogram(transactions, options_.histogram_bin_vsize);
    computed_at_ = now;
    computed_ = true;
  }
  for (const HistogramBin& bin : histogram_) {
    v1::FeeHistogramBin* out = response->add_bins();
    out->set_fee_rate(bin.fee_rate);
    out->set_vsize(bin.vsize);
  }
  return grpc::Status::OK;
}

grpc::Status MempoolServiceImpl::ServeGetMempoolInfo(const grpc::ServerContextBase* context,
                                                     v1::GetMempoolInfoResponse* response) {
  return services::WithDatabase(
      context, database_, "reading mempool size", [&](pqxx::transaction_base& session) {
        const storage::MempoolTotals totals = storage::ReadMempoolTotals(session);
        response->set_transaction_count(totals.transactions);
        response->set_total_vsize(totals.vsize);
        response->set_sequence(totals.sequence);
        return absl::OkStatus();
      });
}

grpc::Status MempoolServiceImpl::SubscribeChanges(
    grpc::ServerContext* context, const v1::SubscribeChangesRequest*,
    grpc::ServerWriter<v1::MempoolChangeEvent>* writer) {
  uint64_t sent = 0;
  {
    std::lock_guard<std::mutex> lock(sequence_mutex_);
    sent = sequence_;
  }
  v1::MempoolChangeEvent first;
  first.set_sequence(sent);
  if (!writer->Write(first)) return grpc::Status::OK;
  while (!context->IsCancelled()) {
    uint64_t latest = 0;
    {
      std::unique_lock<std::mutex> lock(sequence_mutex_);
      sequence_changed_.wait_for(lock, options_.stream_poll,
                                 [&] { return closed_ || sequence_ > sent; });
      if (closed_) break;
      latest = sequence_;
    }
    if (latest <= sent) continue;
    sent = latest;
    v1::MempoolChangeEvent event;
    event.set_sequence(sent);
    if (!writer->Write(event)) break;
  }
  return grpc::Status::OK;
}

}  // namespace electrum::mempool
