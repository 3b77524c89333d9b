// Everything sessions share in one gateway process: who the server says it
// is, the limits every session obeys, the method table, the header copy, the
// subscription hub and the upstream services.
#ifndef ELECTRUM_GATEWAY_SESSION_GATEWAY_CONTEXT_H_
#define ELECTRUM_GATEWAY_SESSION_GATEWAY_CONTEXT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <string>

#include "common/chain/coins.h"
#include "electrum/v1/blockchain.grpc.pb.h"
#include "electrum/v1/dash.grpc.pb.h"
#include "electrum/v1/history.grpc.pb.h"
#include "electrum/v1/mempool.grpc.pb.h"
#include "gateway/cache/address_reply_cache.h"
#include "gateway/chain/header_store.h"
#include "gateway/jsonrpc/message.h"
#include "gateway/metrics/metrics.h"
#include "gateway/protocol/protocol_version.h"
#include "gateway/session/cost_meter.h"
#include "gateway/subscriptions/watch_hub.h"
#include "nlohmann/json.hpp"

namespace electrum::gateway {

class AddressBatches;
class BanList;
class MethodTable;
class SessionGroups;
class Session;
class SessionRegistry;

struct ServerIdentity {
  // Element 0 of the server.version reply and server.features.server_version.
  std::string server_version = "ElectrumServer 0.1";
  VersionRange protocols{ProtocolVersion({1, 4}), ProtocolVersion({1, 6, 0})};
  std::string genesis_hash;  // display hex
  std::string hash_function = "sha256";
  std::string banner;
  std::string donation_address;
  // server.features "hosts" and "services"; server.peers.subscribe result.
  nlohmann::json hosts = nlohmann::json::object();
  nlohmann::json services = nlohmann::json::array();
  nlohmann::json peers = nlohmann::json::array();
  bool peer_discovery = false;
  // Clients whose name matches are refused (DROP_CLIENT).
  std::optional<std::regex> drop_client;
};

struct SessionLimits {
  // Longest request line / WebSocket message (MAX_RECV).
  size_t max_receive = 1'000'000;
  // Largest response (MAX_SEND); raised to 350,000 if set lower.
  size_t max_send = 8'100'000;
  ParseLimits parse;
  // A request not answered by then fails with -102 (upstream deadline).
  std::chrono::milliseconds request_timeout{30000};
  // No message for this long closes the session.
  std::chrono::milliseconds idle_timeout{600000};
  // A notification not written to the socket by then closes the session.
  std::chrono::milliseconds notify_timeout{30000};
  // Reading pauses while more than this waits to be sent; notifications
  // beyond it close the session.
  size_t max_send_queue = 16 << 20;
  size_t max_subscriptions = 100000;
  // Name-index coins: most history entries one name proof walks (each is a
  // transaction, a merkle proof and maybe a header).
  size_t max_name_proof_entries = 1000;
  CostLimits cost;

  // Histories this long or longer are refused (spec §1.6).
  size_t max_history_entries() const { return (max_send - 100) / 99; }
};

struct Upstream {
  std::unique_ptr<v1::BlockchainService::StubInterface> blockchain;
  std::unique_ptr<v1::MempoolService::StubInterface> mempool;
  std::unique_ptr<v1::AddressHistoryService::StubInterface> history;
  // Dash coins only.
  std::unique_ptr<v1::DashService::StubInterface> dash;
};

struct GatewayContext {
  ServerIdentity identity;
  SessionLimits limits;
  const MethodTable* methods = nullptr;
  HeaderStore* headers = nullptr;
  WatchHub* hub = nullptr;
  // Replies to balance, unspent and history queries; null when off.
  AddressReplyCache* address_cache = nullptr;
  Upstream* upstream = nullptr;
  // Balance, unspent and history requests coalesced into batched calls;
  // null: one call each.
  AddressBatches* address_batches = nullptr;
  SessionRegistry* registry = nullptr;
  SessionGroups* groups = nullptr;
  GatewayMetrics* metrics = nullptr;
  const BanList* bans = nullptr;
  // The indexed coin (from the blockchain service's GetChainInfo).
  const chain::CoinParams* coin = nullptr;
  // Per-session work of a coin extension on every notification cycle: a
  // new tip or a mempool change (Dash re-sends masternode statuses); run on
  // the session's executor.
  std::function<void(Session&)> on_notification_cycle;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SESSION_GATEWAY_CONTEXT_H_
