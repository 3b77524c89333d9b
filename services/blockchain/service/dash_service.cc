#include "services/blockchain/service/dash_service.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/grpc/status_conversion.h"

namespace electrum::blockchain {
namespace {

grpc::Status InvalidArgument(const std::string& message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message);
}

// `masternodelist full` values: "status protocol payee lastseen
// activeseconds lastpaidtime lastpaidblock ip" (spec §6.1).
absl::StatusOr<v1::MasternodeEntry> ParseFullEntry(const std::string& collateral,
                                                   const std::string& text) {
  std::vector<std::string> fields = absl::StrSplit(text, ' ', absl::SkipWhitespace());
  if (fields.size() < 8) {
    return absl::InternalError(absl::StrCat("node's masternodelist entry for ", collateral, " has ",
                                            fields.size(), " fields, expected 8"));
  }
  v1::MasternodeEntry entry;
  entry.set_collateral(collateral);
  entry.set_status(fields[0]);
  entry.set_protocol(fields[1]);
  entry.set_payee(fields[2]);
  entry.set_last_seen(fields[3]);
  entry.set_active_seconds(fields[4]);
  entry.set_last_paid_time(fields[5]);
  entry.set_last_paid_block(fields[6]);
  entry.set_ip(fields[7]);
  return entry;
}

}  // namespace

DashServiceImpl::DashServiceImpl(const chain::CoinParams& coin, services::NodeClientPool& node)
    : enabled_(coin.extensions == chain::ExtensionSet::kDash), node_(node) {}

grpc::Status DashServiceImpl::Call(const char* method, const nlohmann::json& params,
                                   nlohmann::json& result) {
  absl::StatusOr<nlohmann::json> reply = CallNode(method, params);
  if (!reply.ok()) return ToGrpcStatus(reply.status());
  result = std::move(*reply);
  return grpc::Status::OK;
}

absl::StatusOr<nlohmann::json> DashServiceImpl::CallNode(const char* method,
                                                         const nlohmann::json& params) {
  if (!enabled_) return absl::UnimplementedError("masternode and protx calls need a Dash index");
  return node_.With<absl::StatusOr<nlohmann::json>>(
      [&](node::BitcoindClient& client) { return client.Call(method, params); });
}

grpc::Status DashServiceImpl::RelayMasternodeBroadcast(
    grpc::ServerContext*, const v1::RelayMasternodeBroadcastRequest* request,
    v1::RelayMasternodeBroadcastResponse* response) {
  if (request->signed_broadcast_hex().empty()) return InvalidArgument("empty masternode broadcast");
  absl::StatusOr<nlohmann::json> result =
      CallNode("masternodebroadcast", {"relay", request->signed_broadcast_hex()});
  if (!result.ok()) {
    // A rejection's text is what the wallet shows: pass it on verbatim.
    if (std::optional<std::string> reason = node::NodeRpcMessage(result.status())) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, *reason);
    }
    return ToGrpcStatus(result.status());
  }
  response->set_result_json(result->dump());
  return grpc::Status::OK;
}

grpc::Status DashServiceImpl::GetMasternodeStatus(grpc::ServerContext*,
                                                  const v1::GetMasternodeStatusRequest* request,
                                                  v1::GetMasternodeStatusResponse* response) {
  if (request->collateral().empty()) return InvalidArgument("empty masternode collateral");
  nlohmann::json result;
  grpc::Status status = Call("masternodelist", {"status", request->collateral()}, result);
  if (!status.ok()) return status;
  // The node filters by substring: only the exact key counts.
  if (result.is_object()) {
    auto it = result.find(request->collateral());
    if (it != result.end() && it->is_string()) response->set_status(it->get<std::string>());
  }
  return grpc::Status::OK;
}

grpc::Status DashServiceImpl::ListMasternodes(grpc::ServerContext*,
                                              const v1::ListMasternodesRequest*,
                                              v1::ListMasternodesResponse* response) {
  nlohmann::json result;
  grpc::Status status = Call("masternodelist", {"full"}, result);
  if (!status.ok()) return status;
  if (!result.is_object()) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "node's masternodelist is not an object");
  }
  for (const auto& [collateral, value] : result.items()) {
    if (!value.is_string()) continue;
    absl::StatusOr<v1::MasternodeEntry> entry =
        ParseFullEntry(collateral, value.get<std::string>());
    if (!entry.ok()) return ToGrpcStatus(entry.status());
    *response->add_masternodes() = std::move(*entry);
  }
  return grpc::Status::OK;
}

grpc::Status DashServiceImpl::GetProTxDiff(grpc::ServerContext*,
                                           const v1::GetProTxDiffRequest* request,
                                           v1::GetProTxDiffResponse* response) {
  if (request->base_height() < 1 || request->height() < request->base_height()) {
    return InvalidArgument(absl::StrCat("require 1 <= base_height ", request->base_height(),
                                        " <= height ", request->height()));
  }
  nlohmann::json result;
  grpc::Status status = Call("protx", {"diff", request->base_height(), request->height()}, result);
  if (!status.ok()) return status;
  response->set_diff_json(result.dump());
  return grpc::Status::OK;
}

grpc::Status DashServiceImpl::GetProTxInfo(grpc::ServerContext*,
                                           const v1::GetProTxInfoRequest* request,
                                           v1::GetProTxInfoResponse* response) {
  if (request->protx_hash().empty()) return InvalidArgument("empty protx hash");
  nlohmann::json result;
  grpc::Status status = Call("protx", {"info", request->protx_hash()}, result);
  if (!status.ok()) return status;
  // The node's wallet section describes the node operator's keys.
  if (result.is_object()) result.erase("wallet");
  response->set_info_json(result.dump());
  return grpc::Status::OK;
}

}  // namespace electrum::blockchain
