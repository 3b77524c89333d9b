// simnode's JSON-RPC methods with Bitcoin Core's names, parameters, result
// shapes and errors. One row per method in the table in rpc_dispatcher.cc.
#ifndef ELECTRUM_TOOLS_SIMNODE_RPC_DISPATCHER_H_
#define ELECTRUM_TOOLS_SIMNODE_RPC_DISPATCHER_H_

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "nlohmann/json.hpp"
#include "tools/simnode/node.h"
#include "tools/simnode/rpc_params.h"

namespace electrum::simnode {

struct RpcContext {
  Node* node = nullptr;
  // (type, address) pairs for getzmqnotifications, e.g. ("pubhashblock", "tcp://...").
  std::vector<std::pair<std::string, std::string>> zmq_notifications;
  // Called by `stop`.
  std::function<void()> request_stop;
  // What estimatesmartfee answers, in satoshis per kvB (0: "Insufficient data").
  int64_t fee_estimate_per_kvb = 0;
};

using RpcOutcome = std::variant<nlohmann::json, RpcError>;

class RpcDispatcher {
 public:
  explicit RpcDispatcher(RpcContext context) : context_(std::move(context)) {}

  RpcOutcome Call(const std::string& method, const nlohmann::json& params);

 private:
  using Handler = nlohmann::json (RpcDispatcher::*)(const nlohmann::json&);
  static const std::map<std::string, Handler>& Methods();

  // Chain (rpc_chain_methods.cc).
  nlohmann::json GetBlockchainInfo(const nlohmann::json& params);
  nlohmann::json GetBestBlockHash(const nlohmann::json& params);
  nlohmann::json GetBlockCount(const nlohmann::json& params);
  nlohmann::json GetBlockHash(const nlohmann::json& params);
  nlohmann::json GetBlockHeader(const nlohmann::json& params);
  nlohmann::json GetBlock(const nlohmann::json& params);
  nlohmann::json GetRawTransaction(const nlohmann::json& params);
  nlohmann::json GenerateToAddress(const nlohmann::json& params);
  nlohmann::json InvalidateBlock(const nlohmann::json& params);
  nlohmann::json ReconsiderBlock(const nlohmann::json& params);
  nlohmann::json SimReorg(const nlohmann::json& params);

  // Mempool, network and control (rpc_mempool_methods.cc).
  nlohmann::json GetRawMempool(const nlohmann::json& params);
  nlohmann::json GetMempoolEntry(const nlohmann::json& params);
  nlohmann::json GetMempoolInfo(const nlohmann::json& params);
  nlohmann::json SendRawTransaction(const nlohmann::json& params);
  nlohmann::json TestMempoolAccept(const nlohmann::json& params);
  nlohmann::json SubmitPackage(const nlohmann::json& params);
  nlohmann::json EstimateSmartFee(const nlohmann::json& params);
  nlohmann::json GetNetworkInfo(const nlohmann::json& params);
  nlohmann::json GetZmqNotifications(const nlohmann::json& params);
  nlohmann::json Uptime(const nlohmann::json& params);
  nlohmann::json Stop(const nlohmann::json& params);

  // Dash fixtures (rpc_dash_methods.cc), only in Dash mode.
  nlohmann::json MasternodeBroadcast(const nlohmann::json& params);
  nlohmann::json MasternodeList(const nlohmann::json& params);
  nlohmann::json ProTx(const nlohmann::json& params);
  static const std::map<std::string, Handler>& DashMethods();

  const BlockEntry& FindBlock(const chain::BlockHash& hash) const;
  // The block's contents, read back from the chain log if paged out.
  BlockContents ContentsOf(const BlockEntry& entry, bool parsed = true) const;
  Node& node() { return *context_.node; }
  const chain::AddressPrefixes& Addresses() const {
    return context_.node->coin().params->addresses;
  }

  RpcContext context_;
};

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_RPC_DISPATCHER_H_
