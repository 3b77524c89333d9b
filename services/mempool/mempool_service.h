// MempoolService's read side over the mirror tables: the compact fee
// histogram (recomputed at most every `histogram_refresh`), size and
// sequence, and a stream of sequence numbers fed by electrum_mempool
// NOTIFYs (see OnSequence).
#ifndef ELECTRUM_SERVICES_MEMPOOL_MEMPOOL_SERVICE_H_
#define ELECTRUM_SERVICES_MEMPOOL_MEMPOOL_SERVICE_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "electrum/v1/mempool.grpc.pb.h"
#include "services/mempool/fee_histogram.h"
#include "storage/pg/connection_pool.h"

namespace electrum::mempool {

struct MempoolServiceOptions {
  // ElectrumX: 120 s for Bitcoin.
  std::chrono::milliseconds histogram_refresh{120000};
  double histogram_bin_vsize = 30000;
  std::chrono::milliseconds stream_poll{500};
};

class MempoolServiceImpl final : public v1::MempoolService::Service {
 public:
  MempoolServiceImpl(MempoolServiceOptions options, storage::ConnectionPool& database)
      : options_(options), database_(database) {}

  // A NOTIFY electrum_mempool arrived with this sequence number.
  void OnSequence(uint64_t sequence);
  // Wakes streams for shutdown.
  void Close();

  grpc::Status GetFeeHistogram(grpc::ServerContext*, const v1::GetFeeHistogramRequest*,
                               v1::GetFeeHistogramResponse*) override;
  grpc::Status GetMempoolInfo(grpc::ServerContext*, const v1::GetMempoolInfoRequest*,
                              v1::GetMempoolInfoResponse*) override;
  grpc::Status SubscribeChanges(grpc::ServerContext*, const v1::SubscribeChangesRequest*,
                                grpc::ServerWriter<v1::MempoolChangeEvent>*) override;

 private:
  const MempoolServiceOptions options_;
  storage::ConnectionPool& database_;

  std::mutex histogram_mutex_;
  std::vector<HistogramBin> histogram_;                // guarded
  std::chrono::steady_clock::time_point computed_at_;  // guarded
  bool computed_ = false;                              // guarded

  std::mutex sequence_mutex_;
  std::condition_variable sequence_changed_;
  uint64_t sequence_ = 0;  // guarded
  bool closed_ = false;    // guarded
};

}  // namespace electrum::mempool

#endif  // ELECTRUM_SERVICES_MEMPOOL_MEMPOOL_SERVICE_H_
