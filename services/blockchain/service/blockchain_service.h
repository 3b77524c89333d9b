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
};

class BlockchainServiceImpl final : public v1::BlockchainService::Service {
 public:
  BlockchainServiceImpl(BlockchainServiceOptions options, const HeaderCache& headers, TipFeed& tips,
                        storage::ConnectionPool& database, services::NodeClientPool& node);

  // Called after the header cache moved: drops tip-dependent caches.
  void OnTipChanged();

  grpc::Status GetTip(grpc::ServerContext*, const v1::GetTipRequest*, v1::GetTipResponse*) override;
  grpc::Status GetHeader(grpc::ServerContext*, const v1::GetHeaderRequest*,
                         v1::GetHeaderResponse*) override;
  grpc::Status GetHeaders(grpc::ServerContext*, const v1::GetHeadersRequest*,
                          v1::GetHeadersResponse*) override;
  grpc::Status SubscribeHeaders(grpc::ServerContext*, const v1::SubscribeHeadersRequest*,
                                grpc::ServerWriter<v1::HeadersEvent>*) override;
  grpc::Status GetTransaction(grpc::ServerContext*, const v1::GetTransactionRequest*,
                              v1::GetTransactionResponse*) override;
  grpc::Status GetTransactionMerkle(grpc::ServerContext*, const v1::GetTransactionMerkleRequest*,
                                    v1::GetTransactionMerkleResponse*) override;
  grpc::Status GetTransactionAtPosition(grpc::ServerContext*,
                                        const v1::GetTransactionAtPositionRequest*,
                                        v1::GetTransactionAtPositionResponse*) override;
  grpc::Status EstimateFee(grpc::ServerContext*, const v1::EstimateFeeRequest*,
                           v1::EstimateFeeResponse*) override;
  grpc::Status GetRelayFee(grpc::ServerContext*, const v1::GetRelayFeeRequest*,
                           v1::GetRelayFeeResponse*) override;
  grpc::Status BroadcastTransaction(grpc::ServerContext*, const v1::BroadcastTransactionRequest*,
                                    v1::BroadcastTransactionResponse*) override;
  grpc::Status BroadcastPackage(grpc::ServerContext*, const v1::BroadcastPackageRequest*,
                                v1::BroadcastPackageResponse*) override;
  grpc::Status GetMempoolFees(grpc::ServerContext*, const v1::GetMempoolFeesRequest*,
                              v1::GetMempoolFeesResponse*) override;
  grpc::Status GetChainInfo(grpc::ServerContext*, const v1::GetChainInfoRequest*,
                            v1::GetChainInfoResponse*) override;

 private:
  // The txids of the block at `height`, read within the call's deadline.
  grpc::Status ReadTxidsOf(const grpc::ServerContext* context, int32_t height,
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
};

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_BLOCKCHAIN_SERVICE_H_
