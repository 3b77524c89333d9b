// Dash methods of RpcDispatcher, answered from fixed fixtures: simnode runs
// no masternodes, but Electrum's masternode.* / protx.* calls need the node's
// answers in Dash Core's shapes. Registered only in Dash mode.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/chain/address.h"
#include "common/crypto/hex.h"
#include "tools/simnode/rpc_dispatcher.h"
#include "tools/simnode/tx_builder.h"

namespace electrum::simnode {
namespace {

using nlohmann::json;

struct FixtureMasternode {
  const char* pro_tx_hash;
  const char* collateral;  // "<txid>-<vout>"
  const char* status;
  // The payee is P2PKH of 20 bytes of this value (a valid Dash address).
  uint8_t payee_key;
  const char* service;
  const char* pub_key_operator;
  const char* key_id_voting;
};

constexpr FixtureMasternode kMasternodes[] = {
    {"1111111111111111111111111111111111111111111111111111111111111111",
     "aaaa000000000000000000000000000000000000000000000000000000000001-0", "ENABLED", 0x01,
     "127.0.0.1:19901",
     "8c9a1a5fd4ef8b6e0f6a1d3e8a4b2c7d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c"
     "5d6e",
     "0101010101010101010101010101010101010101"},
    {"2222222222222222222222222222222222222222222222222222222222222222",
     "bbbb000000000000000000000000000000000000000000000000000000000002-1", "ENABLED", 0x02,
     "127.0.0.1:19902",
     "9d0b2b6fe5f09c7f107b2e4f9b5c3d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"
     "e7f",
     "0202020202020202020202020202020202020202"},
    {"3333333333333333333333333333333333333333333333333333333333333333",
     "cccc000000000000000000000000000000000000000000000000000000000003-0", "POSE_BANNED", 0x03,
     "127.0.0.1:19903",
     "ae1c3c70f6010d8018c3f50ac6d4e9f10f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"
     "e7f8",
     "0303030303030303030303030303030303030303"},
};

std::string Payee(const FixtureMasternode& mn, const chain::AddressPrefixes& prefixes) {
  return chain::ScriptToAddress(prefixes, P2pkhScript(Bytes(20, mn.payee_key))).value();
}

json MasternodeListEntry(const FixtureMasternode& mn, const std::string& payee) {
  return {{"proRegTxHash", mn.pro_tx_hash}, {"confirmedHash", std::string(64, '0')},
          {"service", mn.service},          {"pubKeyOperator", mn.pub_key_operator},
          {"votingAddress", payee},         {"isValid", std::string(mn.status) == "ENABLED"}};
}

}  // namespace

json RpcDispatcher::MasternodeBroadcast(const json& params) {
  RpcParams args(params, {"command", "hexstring"});
  if (args.String(0) != "relay") {
    ThrowRpcError(kRpcInvalidParameter, "simnode supports only \"masternodebroadcast relay\"");
  }
  auto decoded = FromHex(args.String(1));
  if (!decoded.ok() || decoded->empty()) {
    ThrowRpcError(kRpcDeserializationError, "Masternode broadcast message decode failed");
  }
  return true;
}

json RpcDispatcher::MasternodeList(const json& params) {
  RpcParams args(params, {"mode", "filter"});
  const std::string mode = args.String(0, "json");
  const std::string filter = args.String(1, "");
  json out = json::object();
  for (const FixtureMasternode& mn : kMasternodes) {
    const std::string payee = Payee(mn, Addresses());
    if (!filter.empty() && !absl::StrContains(mn.collateral, filter) &&
        !absl::StrContains(payee, filter) && !absl::StrContains(mn.status, filter)) {
      continue;
    }
    if (mode == "status") {
      out[mn.collateral] = mn.status;
    } else if (mode == "full") {
      // status protocol payee lastseen activeseconds lastpaidtime lastpaidblock ip
      out[mn.collateral] = absl::StrCat(mn.status, " 70230 ", payee, " 1700000000 86400 ",
                                        "1699990000 100 ", mn.service);
    } else if (mode == "json") {
      out[mn.collateral] = {{"proTxHash", mn.pro_tx_hash},
                            {"address", mn.service},
                            {"payee", payee},
                            {"status", mn.status}};
    } else {
      ThrowRpcError(kRpcInvalidParameter, "mode '" + mode + "' not supported by simnode");
    }
  }
  return out;
}

json RpcDispatcher::ProTx(const json& params) {
  const std::string command = params.is_array() && !params.empty() && params[0].is_string()
                                  ? params[0].get<std::string>()
                                  : "";
  const Chain& chain = node().chain();
  if (command == "diff") {
    RpcParams args(params, {"command", "base_block", "block"});
    const BlockEntry* base = chain.AtHeight(static_cast<int>(args.Int(1)));
    const BlockEntry* block = chain.AtHeight(static_cast<int>(args.Int(2)));
    if (base == nullptr || block == nullptr)
      ThrowRpcError(kRpcInvalidParameter, "invalid block height");
    json list = json::array();
    for (const FixtureMasternode& mn : kMasternodes) {
      list.push_back(MasternodeListEntry(mn, Payee(mn, Addresses())));
    }
    return {{"baseBlockHash", base->hash.ToDisplayHex()},
            {"blockHash", block->hash.ToDisplayHex()},
            {"cbTxMerkleTree", ""},
            {"cbTx", ToHex(ContentsOf(*block).block->transactions[0].raw)},
            {"deletedMNs", json::array()},
            {"mnList", list},
            {"deletedQuorums", json::array()},
            {"newQuorums", json::array()},
            {"merkleRootMNList", std::string(64, '0')},
            {"merkleRootQuorums", std::string(64, '0')}};
  }
  if (command == "info") {
    RpcParams args(params, {"command", "proTxHash"});
    const std::string hash = args.String(1);
    for (const FixtureMasternode& mn : kMasternodes) {
      if (hash != mn.pro_tx_hash) continue;
      std::string collateral = mn.collateral;
      return {{"proTxHash", mn.pro_tx_hash},
              {"collateralHash", collateral.substr(0, 64)},
              {"collateralIndex", std::stoi(collateral.substr(65))},
              {"operatorReward", 0},
              {"state",
               {{"service", mn.service},
                {"payoutAddress", Payee(mn, Addresses())},
                {"pubKeyOperator", mn.pub_key_operator},
                {"votingAddress", Payee(mn, Addresses())},
                {"PoSePenalty", std::string(mn.status) == "ENABLED" ? 0 : 100}}},
              {"confirmations", chain.Height()},
              {"wallet", {{"hasOwnerKey", false}}}};
    }
    ThrowRpcError(kRpcInvalidParameter, hash + " not found");
  }
  ThrowRpcError(kRpcInvalidParameter, "simnode supports \"protx diff\" and \"protx info\"");
}

}  // namespace electrum::simnode
