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
#include "services/common/blocking_pool.h"
#include "services/mempool/fee_histogram.h"
#include "storage/pg/connection_pool.h"

namespace electrum::mempool {

struct MempoolServiceOptions {
  // ElectrumX: 120 s for Bitcoin.
  std::chrono::milliseconds histogram_refresh{120000};
  double histogram_bin_vsize = 30000;
  std::chrono::milliseconds stream_poll{500};
  // Threads for the calls that read the database, and how many calls may
  // wait for one (RESOURCE_EXHAUSTED beyond).
  size_t blocking_threads = 2;
  size_t blocking_queue_max = 10000;
};

// The unary methods are callback handlers whose database reads run on a
// pool of `blocking_threads`, so no gRPC thread blocks; SubscribeChanges
// stays a synchronous stream (a thread per stream).
using MempoolServiceBase = v1::MempoolService::WithCallbackMethod_GetFeeHistogram<
    v1::MempoolService::WithCallbackMethod_GetMempoolInfo<v1::MempoolService::Service>>;

class MempoolServiceImpl final : public MempoolServiceBase {
 public:
  MempoolServiceImpl(MempoolServiceOptions options, storage::ConnectionPool& database)
      : options_(options),
        database_(database),
        blocking_(options.blocking_threads, options.blocking_queue_max) {}

  // A NOTIFY electrum_mempool arrived with this sequence number.
  void OnSequence(uint64_t sequence);
  // Wakes streams for shutdown.
  void Close();

  grpc::ServerUnaryReactor* GetFeeHistogram(grpc::CallbackServerContext*,
                                            const v1::GetFeeHistogramRequest*,
                                            v1::GetFeeHistogramResponse*) override;
  grpc::ServerUnaryReactor* GetMempoolInfo(grpc::CallbackServerContext*,
                                           const v1::GetMempoolInfoRequest*,
                                           v1::GetMempoolInfoResponse*) override;
  grpc::Status SubscribeChanges(grpc::ServerContext*, const v1::SubscribeChangesRequest*,
                                grpc::ServerWriter<v1::MempoolChangeEvent>*) override;

 private:
  // The calls' bodies, run on blocking_.
  grpc::Status ServeGetFeeHistogram(const grpc::ServerContextBase*, v1::GetFeeHistogramResponse*);
  grpc::Status ServeGetMempoolInfo(const grpc::ServerContextBase*, v1::GetMempoolInfoResponse*);

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

  // Last: destroyed first, running what is queued while the rest is alive.
  services::BlockingPool blocking_;
};

}  // namespace electrum::mempool

#endif  // ELECTRUM_SERVICES_MEMPOOL_MEMPOOL_SERVICE_H_
