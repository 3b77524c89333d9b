// The read side of the blockchain service: headers (from the in-memory
// HeaderCache), the headers stream (TipFeed), transactions and merkle proofs
// (PostgreSQL for positions, the node for raw bytes), fees and broadcast
// (the node). Hashes travel in serialization byte order.
//
// Errors: a bad argument is INVALID_ARGUMENT with ElectrumX's wording, an
// unknown transaction NOT_FOUND, the node or database down UNAVAILABLE
// saying which, and a broadcast rejection FAILED_PRECONDITION carrying the
// node's reason verbatim.
#ifndef ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_BLOCKCHAIN_SERVICE_H_
#define ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_BLOCKCHAIN_SERVICE_H_

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "common/chain/coins.h"
#include "electrum/v1/blockchain.grpc.pb.h"
#include "services/blockchain/service/header_cache.h"
#include "services/blockchain/service/tip_feed.h"
#include "services/common/blocking_pool.h"
#include "services/common/lru_cache.h"
#include "services/common/node_client_pool.h"
#include "storage/pg/connection_pool.h"

namespace electrum::blockchain {

struct BlockchainServiceOptions {
  const chain::CoinParams* coin = nullptr;
  // blockchain.block.headers caps its count here (ElectrumX MAX_CHUNK_SIZE).
  uint32_t max_headers = 2016;
  // Raw confirmed transactions kept in memory.
  size_t transaction_cache_entries = 20000;
  // Fee answers are reused this long (and dropped on a new tip).
  std::chrono::milliseconds fee_cache_ttl{30000};
  // A headers stream re-checks for cancellation at least this often.
  std::chrono::milliseconds stream_poll{500};
  // Threads for the calls that read the database or ask the node, and how
  // many calls may wait for one (RESOURCE_EXHAUSTED beyond).
  size_t blocking_threads = 8;
  size_t blocking_queue_max = 10000;
};

// The unary methods are callback handlers: headers are answered inline from
// the cache; what reads the database or asks the node runs on a pool of
// `blocking_threads`, so no gRPC thread blocks. SubscribeHeaders stays a
// synchronous stream (a thread per stream).
using BlockchainServiceBase = v1::BlockchainService::WithCallbackMethod_GetTip<
    v1::BlockchainService::WithCallbackMethod_GetHeader<
        v1::BlockchainService::WithCallbackMethod_GetHeaders<
            v1::BlockchainService::WithCallbackMethod_GetTransaction<
                v1::BlockchainService::WithCallbackMethod_GetTransactionMerkle<
                    v1::BlockchainService::WithCallbackMethod_GetTransactionAtPosition<
                        v1::BlockchainService::WithCallbackMethod_EstimateFee<
                            v1::BlockchainService::WithCallbackMethod_GetRelayFee<
                                v1::BlockchainService::WithCallbackMethod_BroadcastTransaction<
                                    v1::BlockchainService::WithCallbackMethod_BroadcastPackage<
                                        v1::BlockchainService::WithCallbackMethod_GetMempoolFees<
                                            v1::BlockchainService::WithCallbackMethod_GetChainInfo<
                                                v1::BlockchainService::Service>>>>>>>>>>>>;

class BlockchainServiceImpl final : public BlockchainServiceBase {
 public:
  BlockchainServiceImpl(BlockchainServiceOptions options, const HeaderCache& headers, TipFeed& tips,
                        storage::ConnectionPool& database, services::NodeClientPool& node);

  // Called after the header cache moved: drops tip-dependent caches.
  void OnTipChanged();

  grpc::ServerUnaryReactor* GetTip(grpc::CallbackServerContext*, const v1::GetTipRequest*,
                                   v1::GetTipResponse*) override;
  grpc::ServerUnaryReactor* GetHeader(grpc::CallbackServerContext*, const v1::GetHeaderRequest*,
                                      v1::GetHeaderResponse*) override;
  grpc::ServerUnaryReactor* GetHeaders(grpc::CallbackServerContext*, const v1::GetHeadersRequest*,
                                       v1::GetHeadersResponse*) override;
  grpc::ServerUnaryReactor* GetTransaction(grpc::CallbackServerContext*,
                                           const v1::GetTransactionRequest*,
                                           v1::GetTransactionResponse*) override;
  grpc::ServerUnaryReactor* GetTransactionMerkle(grpc::CallbackServerContext*,
                                                 const v1::GetTransactionMerkleRequest*,
                                                 v1::GetTransactionMerkleResponse*) override;
  grpc::ServerUnaryReactor* GetTransactionAtPosition(
      grpc::CallbackServerContext*, const v1::GetTransactionAtPositionRequest*,
      v1::GetTransactionAtPositionResponse*) override;
  grpc::ServerUnaryReactor* EstimateFee(grpc::CallbackServerContext*, const v1::EstimateFeeRequest*,
                                        v1::EstimateFeeResponse*) override;
  grpc::ServerUnaryReactor* GetRelayFee(grpc::CallbackServerContext*, const v1::GetRelayFeeRequest*,
                                        v1::GetRelayFeeResponse*) override;
  grpc::ServerUnaryReactor* BroadcastTransaction(grpc::CallbackServerContext*,
                                                 const v1::BroadcastTransactionRequest*,
                                                 v1::BroadcastTransactionResponse*) override;
  grpc::ServerUnaryReactor* BroadcastPackage(grpc::CallbackServerContext*,
                                             const v1::BroadcastPackageRequest*,
                                             v1::BroadcastPackageResponse*) override;
  grpc::ServerUnaryReactor* GetMempoolFees(grpc::CallbackServerContext*,
                                           const v1::GetMempoolFeesRequest*,
                                           v1::GetMempoolFeesResponse*) override;
  grpc::ServerUnaryReactor* GetChainInfo(grpc::CallbackServerContext*,
                                         const v1::GetChainInfoRequest*,
                                         v1::GetChainInfoResponse*) override;
  grpc::Status SubscribeHeaders(grpc::ServerContext*, const v1::SubscribeHeadersRequest*,
                                grpc::ServerWriter<v1::HeadersEvent>*) override;

 private:
  // The calls' bodies (blockchain_calls.cc says where each runs).
  grpc::Status ServeGetTip(const grpc::ServerContextBase*, const v1::GetTipRequest*,
                           v1::GetTipResponse*);
  grpc::Status ServeGetHeader(const grpc::ServerContextBase*, const v1::GetHeaderRequest*,
                              v1::GetHeaderResponse*);
  grpc::Status ServeGetHeaders(const grpc::ServerContextBase*, const v1::GetHeadersRequest*,
                               v1::GetHeadersResponse*);
  grpc::Status ServeGetTransaction(const grpc::ServerContextBase*, const v1::GetTransactionRequest*,
                                   v1::GetTransactionResponse*);
  grpc::Status ServeGetTransactionMerkle(const grpc::ServerContextBase*,
                                         const v1::GetTransactionMerkleRequest*,
                                         v1::GetTransactionMerkleResponse*);
  grpc::Status ServeGetTransactionAtPosition(const grpc::ServerContextBase*,
                                             const v1::GetTransactionAtPositionRequest*,
                                             v1::GetTransactionAtPositionResponse*);
  grpc::Status ServeEstimateFee(const grpc::ServerContextBase*, const v1::EstimateFeeRequest*,
                                v1::EstimateFeeResponse*);
  grpc::Status ServeGetRelayFee(const grpc::ServerContextBase*, const v1::GetRelayFeeRequest*,
                                v1::GetRelayFeeResponse*);
  grpc::Status ServeBroadcastTransaction(const grpc::ServerContextBase*,
                                         const v1::BroadcastTransactionRequest*,
                                         v1::BroadcastTransactionResponse*);
  grpc::Status ServeBroadcastPackage(const grpc::ServerContextBase*,
                                     const v1::BroadcastPackageRequest*,
                                     v1::BroadcastPackageResponse*);
  grpc::Status ServeGetMempoolFees(const grpc::ServerContextBase*, const v1::GetMempoolFeesRequest*,
                                   v1::GetMempoolFeesResponse*);
  grpc::Status ServeGetChainInfo(const grpc::ServerContextBase*, const v1::GetChainInfoRequest*,
                                 v1::GetChainInfoResponse*);

  // The txids of the block at `height`, read within the call's deadline.
  grpc::Status ReadTxidsOf(const grpc::ServerContextBase* context, int32_t height,
                           std::vector<chain::TxId>& txids);
  struct CachedFee {
    std::optional<uint64_t> sat_per_kvb;
    std::chrono::steady_clock::time_point expires;
  };

  const BlockchainServiceOptions options_;
  const HeaderCache& headers_;
  TipFeed& tips_;
  storage::ConnectionPool& database_;
  services::NodeClientPool& node_;
  services::LruCache<chain::TxId, std::string> transactions_;
  std::mutex fees_mutex_;
  std::map<std::pair<uint32_t, std::string>, CachedFee> fees_;  // guarded by fees_mutex_
  // Last: destroyed first, running what is queued while the rest is alive.
  services::BlockingPool blocking_;
};

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_BLOCKCHAIN_SERVICE_H_
