// BlockchainService's callback entry points: headers answered inline from
// the cache, everything that reads the database or asks the node on the
// blocking pool.
#include "pqxx/pqxx"  // the connection pool's members
#include "services/blockchain/service/blockchain_service.h"
#include "services/common/unary_reactor.h"

namespace electrum::blockchain {

grpc::ServerUnaryReactor* BlockchainServiceImpl::GetTip(grpc::CallbackServerContext* context,
                                                        const v1::GetTipRequest* request,
                                                        v1::GetTipResponse* response) {
  return services::FinishNow(context, ServeGetTip(context, request, response));
}

grpc::ServerUnaryReactor* BlockchainServiceImpl::GetHeader(grpc::CallbackServerContext* context,
                                                           const v1::GetHeaderRequest* request,
                                                           v1::GetHeaderResponse* response) {
  return services::FinishNow(context, ServeGetHeader(context, request, response));
}

grpc::ServerUnaryReactor* BlockchainServiceImpl::GetHeaders(grpc::CallbackServerContext* context,
                                                            const v1::GetHeadersRequest* request,
                                                            v1::GetHeadersResponse* response) {
  return services::FinishNow(context, ServeGetHeaders(context, request, response));
}

grpc::ServerUnaryReactor* BlockchainServiceImpl::GetTransaction(
    grpc::CallbackServerContext* context, const v1::GetTransactionRequest* request,
    v1::GetTransactionResponse* response) {
  return services::FinishOnPool(
      blocking_, context, [=, this] { return ServeGetTransaction(context, request, response); });
}

grpc::ServerUnaryReactor* BlockchainServiceImpl::GetTransactionMerkle(
    grpc::CallbackServerContext* context, const v1::GetTransactionMerkleRequest* request,
    v1::GetTransactionMerkleResponse* response) {
  return services::FinishOnPool(blocking_, context, [=, this] {
    return ServeGetTransactionMerkle(context, request, response);
  });
}

grpc::ServerUnaryReactor* BlockchainServiceImpl::GetTransactionAtPosition(
    grpc::CallbackServerContext* context, const v1::GetTransactionAtPositionRequest* request,
    v1::GetTransactionAtPositionResponse* response) {
  return services::FinishOnPool(blocking_, context, [=, this] {
    return ServeGetTransactionAtPosition(context, request, response);
  });
}

grpc::ServerUnaryReactor* BlockchainServiceImpl::EstimateFee(grpc::CallbackServerContext* context,
                                                             const v1::EstimateFeeRequest* request,
                                                             v1::EstimateFeeResponse* response) {
  return services::FinishOnPool(blocking_, context,
                                [=, this] { return ServeEstimateFee(context, request, response); });
}

grpc::ServerUnaryReactor* BlockchainServiceImpl::GetRelayFee(grpc::CallbackServerContext* context,
                                                             const v1::GetRelayFeeRequest* request,
                                                             v1::GetRelayFeeResponse* response) {
  return services::FinishOnPool(blocking_, context,
                                [=, this] { return ServeGetRelayFee(context, request, response); });
}

grpc::ServerUnaryReactor* BlockchainServiceImpl::BroadcastTransaction(
    grpc::CallbackServerContext* context, const v1::BroadcastTransactionRequest* request,
    v1::BroadcastTransactionResponse* response) {
  return services::FinishOnPool(blocking_, context, [=, this] {
    return ServeBroadcastTransaction(context, request, response);
  });
}

grpc::ServerUnaryReactor* BlockchainServiceImpl::BroadcastPackage(
    grpc::CallbackServerContext* context, const v1::BroadcastPackageRequest* request,
    v1::BroadcastPackageResponse* response) {
  return services::FinishOnPool(
      blocking_, context, [=, this] { return ServeBroadcastPackage(context, request, response); });
}

grpc::ServerUnaryReactor* BlockchainServiceImpl::GetMempoolFees(
    grpc::CallbackServerContext* context, const v1::GetMempoolFeesRequest* request,
    v1::GetMempoolFeesResponse* response) {
  return services::FinishOnPool(
      blocking_, context, [=, this] { return ServeGetMempoolFees(context, request, response); });
}

grpc::ServerUnaryReactor* BlockchainServiceImpl::GetChainInfo(
    grpc::CallbackServerContext* context, const v1::GetChainInfoRequest* request,
    v1::GetChainInfoResponse* response) {
  return services::FinishOnPool(
      blocking_, context, [=, this] { return ServeGetChainInfo(context, request, response); });
}

}  // namespace electrum::blockchain
