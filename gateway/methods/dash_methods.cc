#include "gateway/methods/dash_methods.h"

#include <ctime>
#include <mutex>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "common/chain/address.h"
#include "common/chain/electrum_hashes.h"
#include "common/text/thousands.h"
#include "gateway/methods/handler_support.h"
#include "gateway/methods/masternode_ranking.h"
#include "spdlog/spdlog.h"

namespace electrum::gateway {
namespace {

using Arguments = std::vector<nlohmann::json>;
using Reply = boost::asio::awaitable<absl::StatusOr<MethodResult>>;
using DashAsync = v1::DashService::StubInterface::async_interface;

int64_t NumberOr0(const std::string& text) {
  int64_t value = 0;
  return absl::SimpleAtoi(text, &value) ? value : 0;
}

// A failed Dash call is the node's error as far as the wallet is concerned
// (ElectrumX: "daemon error"), whatever the service called it; logged since
// the operator, not the wallet, can act on it.
absl::Status AsDaemonError(const char* method, const absl::Status& status) {
  if (status.code() == absl::StatusCode::kDeadlineExceeded) return status;
  spdlog::warn("{}: {}", method, status.ToString());
  return absl::UnavailableError(status.message());
}

absl::StatusOr<nlohmann::json> ParseNodeJson(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded()) return absl::InternalError("the node's answer is not JSON");
  return parsed;
}

// masternode.list is built once per tip height (it asks the balance of
// every payee) and filtered per call.
class MasternodeListCache {
 public:
  std::optional<nlohmann::json> Find(int32_t height) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (height_ != height) return std::nullopt;
    return list_;
  }
  void Store(int32_t height, nlohmann::json list) {
    std::lock_guard<std::mutex> lock(mutex_);
    height_ = height;
    list_ = std::move(list);
  }

 private:
  std::mutex mutex_;
  int32_t height_ = -1;
  nlohmann::json list_;
};

boost::asio::awaitable<absl::StatusOr<double>> PayeeBalance(CallContext& context,
                                                            const std::string& payee) {
  absl::StatusOr<chain::Bytes> script =
      chain::AddressToScript(context.gateway.coin->addresses, payee);
  if (!script.ok()) {
    co_return absl::InternalError(absl::StrCat("the node's masternode payee ", payee,
                                               " is not an address: ", script.status().message()));
  }
  v1::GetBalanceRequest request;
  request.set_script_hash(InternalBytes(chain::ScriptHashOf(*script)));
  auto balance = co_await Ask(context, context.gateway.upstream->history->async(),
                              &HistoryAsync::GetBalance, request);
  if (!balance.ok()) co_return balance.status();
  co_return static_cast<double>(static_cast<int64_t>(balance->confirmed()) +
                                balance->unconfirmed()) /
      1e8;
}

boost::asio::awaitable<absl::StatusOr<nlohmann::json>> BuildMasternodeList(CallContext& context) {
  const v1::ListMasternodesRequest request;
  auto listed = co_await Ask(context, context.gateway.upstream->dash->async(),
                             &DashAsync::ListMasternodes, request);
  if (!listed.ok()) co_return AsDaemonError("masternode.list", listed.status());
  std::vector<MasternodeQueueInput> queue;
  for (const v1::MasternodeEntry& mn : listed->masternodes()) {
    queue.push_back(
        {mn.payee(), mn.status(), NumberOr0(mn.active_seconds()), NumberOr0(mn.last_paid_time())});
  }
  const std::vector<int64_t> positions = PaymentPositions(queue, std::time(nullptr));
  // Building asks one balance per masternode; the caller pays for it.
  context.extra_cost += static_cast<double>(queue.size()) / 100;
  nlohmann::json list = nlohmann::json::array();
  for (int i = 0; i < listed->masternodes_size(); ++i) {
    const v1::MasternodeEntry& mn = listed->masternodes(i);
    absl::StatusOr<double> balance = co_await PayeeBalance(context, mn.payee());
    if (!balance.ok()) co_return balance.status();
    list.push_back({{"vin", mn.collateral()},
                    {"status", mn.status()},
                    {"protocol", mn.protocol()},
                    {"payee", mn.payee()},
                    {"lastseen", mn.last_seen()},
                    {"activeseconds", mn.active_seconds()},
                    {"lastpaidtime", mn.last_paid_time()},
                    {"lastpaidblock", mn.last_paid_block()},
                    {"ip", mn.ip()},
                    {"paymentposition", positions[i]},
                    {"inselection", InSelection(positions[i], queue.size())},
                    {"balance", *balance}});
  }
  co_return list;
}

Reply AnnounceBroadcast(CallContext& context, const Arguments& arguments) {
  if (!arguments[0].is_string()) {
    co_return absl::InvalidArgumentError("expected a signed masternode broadcast string");
  }
  const std::string& signed_broadcast = arguments[0].get_ref<const std::string&>();
  v1::RelayMasternodeBroadcastRequest request;
  request.set_signed_broadcast_hex(signed_broadcast);
  auto relayed = co_await Ask(context, context.gateway.upstream->dash->async(),
                              &DashAsync::RelayMasternodeBroadcast, request);
  if (!relayed.ok()) {
    if (relayed.status().code() != absl::StatusCode::kFailedPrecondition &&
        relayed.status().code() != absl::StatusCode::kInvalidArgument) {
      co_return AsDaemonError("masternode.announce.broadcast", relayed.status());
    }
    co_return absl::InvalidArgumentError(absl::StrCat("the masternode broadcast was rejected.\n\n",
                                                      relayed.status().message(), "\n[",
                                                      signed_broadcast, "]"));
  }
  absl::StatusOr<nlohmann::json> result = ParseNodeJson(relayed->result_json());
  if (!result.ok()) co_return result.status();
  co_return *result;
}

// The status, or null when the node does not know the masternode.
boost::asio::awaitable<absl::StatusOr<nlohmann::json>> MasternodeStatus(
    const GatewayContext& gateway, const std::string& collateral,
    std::chrono::milliseconds timeout) {
  v1::GetMasternodeStatusRequest request;
  request.set_collateral(collateral);
  DashAsync* async = gateway.upstream->dash->async();
  auto start = [async](grpc::ClientContext* client, const v1::GetMasternodeStatusRequest* in,
                       v1::GetMasternodeStatusResponse* out,
                       std::function<void(grpc::Status)> done) {
    async->GetMasternodeStatus(client, in, out, std::move(done));
  };
  absl::StatusOr<v1::GetMasternodeStatusResponse> status =
      co_await UnaryCall<v1::GetMasternodeStatusResponse>(start, request, timeout);
  if (!status.ok()) co_return AsDaemonError("masternode.subscribe", status.status());
  if (!status->has_status()) co_return nlohmann::json(nullptr);
  co_return nlohmann::json(status->status());
}

Reply Subscribe(CallContext& context, const Arguments& arguments) {
  if (!arguments[0].is_string())
    co_return absl::InvalidArgumentError("expected a collateral string");
  const std::string collateral = arguments[0].get<std::string>();
  absl::StatusOr<nlohmann::json> status =
      co_await MasternodeStatus(context.gateway, collateral, context.remaining());
  if (!status.ok()) co_return status.status();
  absl::Status remembered = context.session.RememberMasternode(collateral);
  if (!remembered.ok()) co_return remembered;
  co_return *status;
}

Reply List(CallContext& context, const Arguments& arguments, MasternodeListCache& cache) {
  if (!arguments[0].is_array()) co_return absl::InvalidArgumentError("expected a list of payees");
  const int32_t height = context.gateway.headers->tip_height();
  std::optional<nlohmann::json> all = cache.Find(height);
  if (!all) {
    absl::StatusOr<nlohmann::json> built = co_await BuildMasternodeList(context);
    if (!built.ok()) co_return built.status();
    cache.Store(height, *built);
    all = std::move(*built);
  }
  const nlohmann::json& payees = arguments[0];
  if (payees.empty()) co_return std::move(*all);
  nlohmann::json chosen = nlohmann::json::array();
  for (const nlohmann::json& mn : *all) {
    if (std::find(payees.begin(), payees.end(), mn["payee"]) != payees.end()) chosen.push_back(mn);
  }
  co_return chosen;
}

Reply Diff(CallContext& context, const Arguments& arguments) {
  const nlohmann::json& base = arguments[0];
  const nlohmann::json& height = arguments[1];
  if (!base.is_number_integer() || !height.is_number_integer()) {
    co_return absl::InvalidArgumentError("expected a int block heights");
  }
  const int64_t tip = context.gateway.headers->tip_height();
  const int64_t b = base.get<int64_t>(), h = height.get<int64_t>();
  if (!(1 <= b && b <= h && h <= tip)) {
    co_return absl::InvalidArgumentError(absl::StrCat("require 1 <= base_height ", WithThousands(b),
                                                      " <= height ", WithThousands(h),
                                                      " <= chain height ", WithThousands(tip)));
  }
  v1::GetProTxDiffRequest request;
  request.set_base_height(static_cast<int32_t>(b));
  request.set_height(static_cast<int32_t>(h));
  auto diff = co_await Ask(context, context.gateway.upstream->dash->async(),
                           &DashAsync::GetProTxDiff, request);
  if (!diff.ok()) co_return AsDaemonError("protx.diff", diff.status());
  absl::StatusOr<nlohmann::json> result = ParseNodeJson(diff->diff_json());
  if (!result.ok()) co_return result.status();
  co_return *result;
}

Reply Info(CallContext& context, const Arguments& arguments) {
  if (!arguments[0].is_string()) co_return absl::InvalidArgumentError("expected protx hash string");
  v1::GetProTxInfoRequest request;
  request.set_protx_hash(arguments[0].get<std::string>());
  auto info = co_await Ask(context, context.gateway.upstream->dash->async(),
                           &DashAsync::GetProTxInfo, request);
  if (!info.ok()) co_return AsDaemonError("protx.info", info.status());
  absl::StatusOr<nlohmann::json> result = ParseNodeJson(info->info_json());
  if (!result.ok()) co_return result.status();
  co_return *result;
}

boost::asio::awaitable<void> Resend(std::shared_ptr<Session> session,
                                    const GatewayContext& gateway) {
  // A copy: the session may subscribe more while this awaits.
  const std::vector<std::string> collaterals = session->masternodes();
  for (const std::string& collateral : collaterals) {
    absl::StatusOr<nlohmann::json> status =
        co_await MasternodeStatus(gateway, collateral, gateway.limits.request_timeout);
    if (session->closed()) co_return;
    if (!status.ok()) {
      spdlog::warn("masternode status of {} for session {}: {}", collateral, session->id(),
                   std::string(status.status().message()));
      continue;
    }
    session->Notify("masternode.subscribe", nlohmann::json::array({collateral, *status}));
  }
}

}  // namespace

void ResendMasternodeStatuses(Session& session, const GatewayContext& gateway) {
  // A named value for the coroutine's argument (GCC 12 and co_await
  // temporaries, see UnaryCall).
  std::shared_ptr<Session> self = session.shared_from_this();
  boost::asio::co_spawn(session.executor(), Resend(self, gateway), boost::asio::detached);
}

void AddDashMethods(MethodTable& table) {
  const ProtocolVersion any({1, 4});
  auto cache = std::make_shared<MasternodeListCache>();
  table.Add({"masternode.announce.broadcast",
             any,
             std::nullopt,
             {{"signmnb"}, 1},
             1.0,
             AnnounceBroadcast});
  table.Add({"masternode.subscribe", any, std::nullopt, {{"collateral"}, 1}, 1.0, Subscribe});
  table.Add({"masternode.list",
             any,
             std::nullopt,
             {{"payees"}, 1},
             1.0,
             [cache](CallContext& context, const Arguments& arguments) {
               return List(context, arguments, *cache);
             }});
  table.Add({"protx.diff", any, std::nullopt, {{"base_height", "height"}, 2}, 1.0, Diff});
  table.Add({"protx.info", any, std::nullopt, {{"protx_hash"}, 1}, 1.0, Info});
}

}  // namespace electrum::gateway
