#include "gateway/admin/admin_service.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "boost/asio/post.hpp"
#include "common/grpc/status_conversion.h"
#include "gateway/session/session.h"
#include "gateway/session/session_registry.h"
#include "spdlog/spdlog.h"

namespace electrum::gateway {
namespace {

// How long a listing waits for busy sessions to report.
constexpr std::chrono::milliseconds kSnapshotTimeout(2000);

uint64_t Seconds(std::chrono::steady_clock::duration duration) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(duration).count());
}

}  // namespace

AdminService::AdminService(const GatewayContext& gateway, BanList& bans)
    : gateway_(gateway), bans_(bans), started_(std::chrono::steady_clock::now()) {}

grpc::Status AdminService::GetInfo(grpc::ServerContext*, const v1::GetInfoRequest*,
                                   v1::GetInfoResponse* response) {
  response->set_server_version(gateway_.identity.server_version);
  response->set_uptime_seconds(Seconds(std::chrono::steady_clock::now() - started_));
  for (const auto& session : gateway_.registry->Snapshot()) {
    (*response->mutable_sessions_by_transport())[session->transport().kind()] += 1;
    response->set_sessions(response->sessions() + 1);
  }
  response->set_watched_script_hashes(gateway_.hub->watched());
  response->set_tip_height(gateway_.headers->tip_height());
  for (const std::string& banned : bans_.List()) response->add_banned(banned);
  return grpc::Status::OK;
}

grpc::Status AdminService::ListSessions(grpc::ServerContext*, const v1::ListSessionsRequest*,
                                        v1::ListSessionsResponse* response) {
  for (const SessionSnapshot& snapshot : gateway_.registry->Snapshots(kSnapshotTimeout)) {
    v1::SessionInfo* info = response->add_sessions();
    info->set_id(snapshot.id);
    info->set_transport(snapshot.transport);
    info->set_remote_address(snapshot.remote_address);
    info->set_client_name(snapshot.client_name);
    info->set_protocol_version(snapshot.protocol_version);
    info->set_cost(snapshot.cost);
    info->set_subscriptions(snapshot.subscriptions);
    info->set_requests(snapshot.requests);
    info->set_age_seconds(Seconds(snapshot.age));
  }
  return grpc::Status::OK;
}

grpc::Status AdminService::DisconnectSession(grpc::ServerContext*,
                                             const v1::DisconnectSessionRequest* request,
                                             v1::DisconnectSessionResponse*) {
  for (auto& session : gateway_.registry->Snapshot()) {
    if (session->id() != request->id()) continue;
    boost::asio::post(session->executor(),
                      [session] { session->Close("disconnected by the operator"); });
    return grpc::Status::OK;
  }
  return grpc::Status(grpc::StatusCode::NOT_FOUND, absl::StrCat("no open session ", request->id()));
}

grpc::Status AdminService::Ban(grpc::ServerContext*, const v1::BanRequest* request,
                               v1::BanResponse* response) {
  absl::StatusOr<std::string> banned = bans_.Ban(request->address());
  if (!banned.ok()) return ToGrpcStatus(banned.status());
  spdlog::info("banned {}", *banned);
  uint64_t disconnected = 0;
  for (auto& session : gateway_.registry->Snapshot()) {
    if (!bans_.IsBanned(session->transport().remote().address())) continue;
    ++disconnected;
    boost::asio::post(session->executor(),
                      [session, text = *banned] { session->Close("banned (" + text + ")"); });
  }
  response->set_disconnected(disconnected);
  return grpc::Status::OK;
}

grpc::Status AdminService::Unban(grpc::ServerContext*, const v1::UnbanRequest* request,
                                 v1::UnbanResponse* response) {
  absl::StatusOr<bool> was_banned = bans_.Unban(request->address());
  if (!was_banned.ok()) return ToGrpcStatus(was_banned.status());
  response->set_was_banned(*was_banned);
  return grpc::Status::OK;
}

grpc::Status AdminService::SetLogLevel(grpc::ServerContext*, const v1::SetLogLevelRequest* request,
                                       v1::SetLogLevelResponse* response) {
  const spdlog::level::level_enum level = spdlog::level::from_str(request->level());
  if (level == spdlog::level::off && request->level() != "off") {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "level must be trace, debug, info, warn, error, critical or off");
  }
  const auto previous = spdlog::get_level();
  response->set_previous_level(std::string(spdlog::level::to_string_view(previous).data(),
                                           spdlog::level::to_string_view(previous).size()));
  spdlog::set_level(level);
  spdlog::info("log level set to {}", request->level());
  return grpc::Status::OK;
}

}  // namespace electrum::gateway
