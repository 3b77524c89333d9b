// DashService over the node: one typed gRPC call per Dash node method
// (spec §6.1). Only a Dash index serves it; for other coins every call is
// UNIMPLEMENTED so a caller learns the coin is wrong, not that the node
// failed.
#ifndef ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_DASH_SERVICE_H_
#define ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_DASH_SERVICE_H_

#include "common/chain/coins.h"
#include "electrum/v1/dash.grpc.pb.h"
#include "services/common/node_client_pool.h"

namespace electrum::blockchain {

class DashServiceImpl final : public v1::DashService::Service {
 public:
  DashServiceImpl(const chain::CoinParams& coin, services::NodeClientPool& node);

  grpc::Status RelayMasternodeBroadcast(grpc::ServerContext*,
                                        const v1::RelayMasternodeBroadcastRequest*,
                                        v1::RelayMasternodeBroadcastResponse*) override;
  grpc::Status GetMasternodeStatus(grpc::ServerContext*, const v1::GetMasternodeStatusRequest*,
                                   v1::GetMasternodeStatusResponse*) override;
  grpc::Status ListMasternodes(grpc::ServerContext*, const v1::ListMasternodesRequest*,
                               v1::ListMasternodesResponse*) override;
  grpc::Status GetProTxDiff(grpc::ServerContext*, const v1::GetProTxDiffRequest*,
                            v1::GetProTxDiffResponse*) override;
  grpc::Status GetProTxInfo(grpc::ServerContext*, const v1::GetProTxInfoRequest*,
                            v1::GetProTxInfoResponse*) override;

 private:
  // The node's answer to `method`, or the error a caller should see.
  grpc::Status Call(const char* method, const nlohmann::json& params, nlohmann::json& result);
  absl::StatusOr<nlohmann::json> CallNode(const char* method, const nlohmann::json& params);

  const bool enabled_;
  services::NodeClientPool& node_;
};

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_DASH_SERVICE_H_
