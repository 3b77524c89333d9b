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
      {"submitpackage", &RpcDispatcher::SubmitPackage},
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
  auto find_in = [&](const std::map<std::string, Handler>& table) -> const Handler* {
    auto found = table.find(method);
    return found == table.end() ? nullptr : &found->second;
  };
  const Handler* handler = find_in(Methods());
  if (handler == nullptr &&
      context_.node->coin().params->extensions == chain::ExtensionSet::kDash) {
    handler = find_in(DashMethods());
  }
  if (handler == nullptr) return RpcError{kRpcMethodNotFound, "Method not found"};
  try {
    return (this->*(*handler))(params);
  } catch (const RpcException& exception) {
    return exception.error;
  } catch (const nlohmann::json::exception& exception) {
    return RpcError{kRpcTypeError, exception.what()};
  }
}

const BlockEntry& RpcDispatcher::FindBlock(const chain::BlockHash& hash) const {
  const BlockEntry* entry = context_.node->chain().Find(hash);
  if (entry == nullptr) ThrowRpcError(kRpcInvalidAddressOrKey, "Block not found");
  return *entry;
}

BlockContents RpcDispatcher::ContentsOf(const BlockEntry& entry, bool parsed) const {
  absl::StatusOr<BlockContents> contents = context_.node->chain().Contents(entry, parsed);
  if (!contents.ok()) ThrowRpcError(kRpcMiscError, std::string(contents.status().message()));
  return *std::move(contents);
}

}  // namespace electrum::simnode
