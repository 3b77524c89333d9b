// The gateway's admin gRPC service (protos/electrum/v1/gateway_admin.proto):
// info, the session list, disconnecting a session, bans and the log level.
#ifndef ELECTRUM_GATEWAY_ADMIN_ADMIN_SERVICE_H_
#define ELECTRUM_GATEWAY_ADMIN_ADMIN_SERVICE_H_

#include <chrono>

#include "electrum/v1/gateway_admin.grpc.pb.h"
#include "gateway/session/ban_list.h"
#include "gateway/session/gateway_context.h"

namespace electrum::gateway {

class AdminService final : public v1::GatewayAdmin::Service {
 public:
  AdminService(const GatewayContext& gateway, BanList& bans);

  grpc::Status GetInfo(grpc::ServerContext*, const v1::GetInfoRequest*,
                       v1::GetInfoResponse*) override;
  grpc::Status ListSessions(grpc::ServerContext*, const v1::ListSessionsRequest*,
                            v1::ListSessionsResponse*) override;
  grpc::Status DisconnectSession(grpc::ServerContext*, const v1::DisconnectSessionRequest*,
                                 v1::DisconnectSessionResponse*) override;
  grpc::Status Ban(grpc::ServerContext*, const v1::BanRequest*, v1::BanResponse*) override;
  grpc::Status Unban(grpc::ServerContext*, const v1::UnbanRequest*, v1::UnbanResponse*) override;
  grpc::Status SetLogLevel(grpc::ServerContext*, const v1::SetLogLevelRequest*,
                           v1::SetLogLevelResponse*) override;

 private:
  const GatewayContext& gateway_;
  BanList& bans_;
  const std::chrono::steady_clock::time_point started_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_ADMIN_ADMIN_SERVICE_H_
