#include "tools/simnode/rpc_dispatcher.h"

namespace electrum::simnode {

const std::map<std::string, RpcDispatcher::Handler>& RpcDispatcher::Methods() {
  static const auto* const methods = new std::map<std::string, Handler>{
      {"estimatesmartfee", &RpcDispatcher::EstimateSmartFee},
      {"generatetoaddress", &RpcDispatcher::GenerateToAddress},
      {"getbestblockhash", &RpcDispatcher::GetBestBlockHash},
      {"getblock", &RpcDispatcher::GetBlock},
      {"getblockchaininfo", &RpcDispatcher::GetBlockchainInfo},
      {"getblockcount", &RpcDispatcher::GetBlockCount},
      {"getblockhash", &RpcDispatcher::GetBlockHash},
      {"getblockheader", &RpcDispatcher::GetBlockHeader},
      {"getmempoolentry", &RpcDispatcher::GetMempoolEntry},
      {"getmempoolinfo", &RpcDispatcher::GetMempoolInfo},
      {"getnetworkinfo", &RpcDispatcher::GetNetworkInfo},
      {"getrawmempool", &RpcDispatcher::GetRawMempool},
      {"getrawtransaction", &RpcDispatcher::GetRawTransaction},
      {"getzmqnotifications", &RpcDispatcher::GetZmqNotifications},
      {"invalidateblock", &RpcDispatcher::InvalidateBlock},
      {"reconsiderblock", &RpcDispatcher::ReconsiderBlock},
      {"sendrawtransaction", &RpcDispatcher::SendRawTransaction},
      // simnode's own: reorganize the chain `depth` blocks deep.
      {"simreorg", &RpcDispatcher::SimReorg},
      {"stop", &RpcDispatcher::Stop},
      {"testmempoolaccept", &RpcDispatcher::TestMempoolAccept},
      {"uptime", &RpcDispatcher::Uptime},
  };
  return *methods;
}

const std::map<std::string, RpcDispatcher::Handler>& RpcDispatcher::DashMethods() {
  static const auto* const methods = new std::map<std::string, Handler>{
      {"masternodebroadcast", &RpcDispatcher::MasternodeBroadcast},
      {"masternodelist", &RpcDispatcher::MasternodeList},
      {"protx", &RpcDispatcher::ProTx},
  };
  return *methods;
}

RpcOutcome RpcDispatcher::Call(const std::string& method, const nlohmann::json& params) {
  auto found = Methods().find(method);
  if (found == Methods().end() &&
      context_.node->coin().params->extensions == chain::ExtensionSet::kDash) {
    found = DashMethods().find(method);
    if (found == DashMethods().end()) return RpcError{kRpcMethodNotFound, "Method not found"};
  } else if (found == Methods().end()) {
    return RpcError{kRpcMethodNotFound, "Method not found"};
  }
  try {
    return (this->*found->second)(params);
  } catch (const RpcException& exception) {
    return exception.error;
  } catch (const nlohmann::json::exception& exception) {
    return RpcError{kRpcTypeError, exception.what()};
  }
}

const BlockEntry& RpcDispatcher::FindBlock(const chain::BlockHash& hash) const {
  const BlockEntry* entry = context_.node->chain().Find(hash);
  if (entry == nullptr) throw RpcException{{kRpcInvalidAddressOrKey, "Block not found"}};
  return *entry;
}

}  // namespace electrum::simnode
