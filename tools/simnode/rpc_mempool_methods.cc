// Mempool, network and control methods of RpcDispatcher.
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/crypto/hex.h"
#include "tools/simnode/core_json.h"
#include "tools/simnode/rpc_dispatcher.h"

namespace electrum::simnode {
namespace {

using nlohmann::json;

// Bitcoin Core 25's version numbers, which clients parse.
constexpr int kVersion = 250000;
constexpr int kProtocolVersion = 70016;
constexpr int64_t kMaxMempoolBytes = 300000000;
constexpr int kMaxConfirmationTarget = 1008;

// BTC/kvB as a number, like Core's fee rate arguments.
int64_t FeeRateArgument(const RpcParams& args, size_t index) {
  if (!args.Has(index)) return kMaxFeeRatePerKvb;
  const json& value = args.Get(index);
  if (!value.is_number()) ThrowRpcError(kRpcTypeError, "maxfeerate must be a number");
  double coins = value.get<double>();
  if (coins < 0) ThrowRpcError(kRpcTypeError, "Amount out of range");
  return std::llround(coins * 1e8);
}

Bytes DecodeTransactionHex(const std::string& hex) {
  auto bytes = FromHex(hex);
  if (!bytes.ok()) {
    ThrowRpcError(kRpcDeserializationError,
                  "TX decode failed. Make sure the tx has at least one input.");
  }
  return *bytes;
}

// The entry and its in-mempool ancestors (parents, their parents...) or
// descendants, as Core counts them.
struct Relatives {
  size_t count = 0;
  size_t vsize = 0;
  int64_t fees = 0;
};

Relatives CollectRelatives(const Mempool& mempool, const MempoolEntry& entry, bool ancestors) {
  Relatives out;
  std::set<chain::TxId> seen;
  std::vector<chain::TxId> pending = {entry.tx.txid};
  while (!pending.empty()) {
    chain::TxId txid = pending.back();
    pending.pop_back();
    if (!seen.insert(txid).second) continue;
    const MempoolEntry* relative = mempool.Find(txid);
    if (relative == nullptr) continue;
    ++out.count;
    out.vsize += relative->vsize;
    out.fees += relative->fee;
    const std::vector<chain::TxId> next =
        ancestors ? relative->depends : mempool.Children(relative->tx.txid);
    pending.insert(pending.end(), next.begin(), next.end());
  }
  return out;
}

json MempoolEntryJson(const Mempool& mempool, const MempoolEntry& entry) {
  json depends = json::array();
  for (const chain::TxId& parent : entry.depends) depends.push_back(parent.ToDisplayHex());
  json spent_by = json::array();
  for (const chain::TxId& child : mempool.Children(entry.tx.txid)) {
    spent_by.push_back(child.ToDisplayHex());
  }
  const double fee = Amount(entry.fee);
  const Relatives ancestors = CollectRelatives(mempool, entry, true);
  const Relatives descendants = CollectRelatives(mempool, entry, false);
  return {{"vsize", entry.vsize},
          {"weight", entry.tx.Weight()},
          {"time", entry.time},
          {"height", entry.height},
          {"descendantcount", descendants.count},
          {"descendantsize", descendants.vsize},
          {"ancestorcount", ancestors.count},
          {"ancestorsize", ancestors.vsize},
          {"wtxid", entry.tx.ComputeWtxid().ToDisplayHex()},
          {"fees",
           {{"base", fee},
            {"modified", fee},
            {"ancestor", Amount(ancestors.fees)},
            {"descendant", Amount(descendants.fees)}}},
          {"depends", depends},
          {"spentby", spent_by},
          {"bip125-replaceable", true},
          {"unbroadcast", false}};
}

}  // namespace

json RpcDispatcher::GetRawMempool(const json& params) {
  RpcParams args(params, {"verbose", "mempool_sequence"});
  const bool verbose = args.Bool(0, false);
  const bool with_sequence = args.Bool(1, false);
  if (verbose && with_sequence) {
    ThrowRpcError(kRpcInvalidParameter, "Verbose results cannot contain mempool sequence values.");
  }
  const Mempool& mempool = node().mempool();
  if (verbose) {
    json out = json::object();
    for (const MempoolEntry* entry : mempool.Entries()) {
      out[entry->tx.txid.ToDisplayHex()] = MempoolEntryJson(mempool, *entry);
    }
    return out;
  }
  json txids = json::array();
  for (const MempoolEntry* entry : mempool.Entries())
    txids.push_back(entry->tx.txid.ToDisplayHex());
  if (!with_sequence) return txids;
  return {{"txids", txids}, {"mempool_sequence", mempool.sequence()}};
}

json RpcDispatcher::GetMempoolEntry(const json& params) {
  RpcParams args(params, {"txid"});
  const MempoolEntry* entry = node().mempool().Find(args.TxId(0));
  if (entry == nullptr) ThrowRpcError(kRpcInvalidAddressOrKey, "Transaction not in mempool");
  return MempoolEntryJson(node().mempool(), *entry);
}

json RpcDispatcher::GetMempoolInfo(const json& params) {
  RpcParams(params, {});
  const Mempool& mempool = node().mempool();
  const double min_fee = Amount(kMinRelayFeePerKvb);
  return {{"loaded", true},
          {"size", mempool.Size()},
          {"bytes", mempool.TotalVsize()},
          {"usage", mempool.TotalVsize() * 4},
          {"total_fee", Amount(mempool.TotalFee())},
          {"maxmempool", kMaxMempoolBytes},
          {"mempoolminfee", min_fee},
          {"minrelaytxfee", min_fee},
          {"incrementalrelayfee", min_fee},
          {"unbroadcastcount", 0},
          {"fullrbf", false}};
}

json RpcDispatcher::SendRawTransaction(const json& params) {
  RpcParams args(params, {"hexstring", "maxfeerate"});
  Bytes raw = DecodeTransactionHex(args.String(0));
  const int64_t max_fee_rate = FeeRateArgument(args, 1);
  // Like Core, resending a transaction already in the mempool succeeds.
  if (auto parsed = chain::ParseTransaction(raw); parsed.ok()) {
    if (node().mempool().Find(parsed->txid) != nullptr) return parsed->txid.ToDisplayHex();
  }
  auto result = node().SubmitTransaction(std::move(raw), max_fee_rate);
  if (auto* reason = std::get_if<RejectReason>(&result))
    ThrowRpcError(reason->rpc_code, reason->message);
  return std::get<chain::TxId>(result).ToDisplayHex();
}

json RpcDispatcher::TestMempoolAccept(const json& params) {
  RpcParams args(params, {"rawtxs", "maxfeerate"});
  const json& raw_list = args.Get(0);
  if (!raw_list.is_array()) ThrowRpcError(kRpcTypeError, "rawtxs must be an array");
  if (raw_list.size() != 1) {
    // Core accepts packages of up to 25; simnode checks one transaction at a time.
    ThrowRpcError(kRpcInvalidParameter, "Array must contain exactly one raw transaction");
  }
  Bytes raw = DecodeTransactionHex(raw_list[0].get<std::string>());
  auto checked =
      node().mempool().Check(raw, node().chain(), node().Now(), FeeRateArgument(args, 1));
  json result;
  if (auto* entry = std::get_if<MempoolEntry>(&checked)) {
    result = {{"txid", entry->tx.txid.ToDisplayHex()},
              {"wtxid", entry->tx.ComputeWtxid().ToDisplayHex()},
              {"allowed", true},
              {"vsize", entry->vsize},
              {"fees", {{"base", Amount(entry->fee)}}}};
  } else {
    auto parsed = chain::ParseTransaction(raw);
    result = {{"allowed", false}, {"reject-reason", std::get<RejectReason>(checked).message}};
    if (parsed.ok()) {
      result["txid"] = parsed->txid.ToDisplayHex();
      result["wtxid"] = parsed->ComputeWtxid().ToDisplayHex();
    }
  }
  return json::array({result});
}

json RpcDispatcher::SubmitPackage(const json& params) {
  RpcParams args(params, {"package", "maxfeerate", "maxburnamount"});
  const json& package = args.Get(0);
  if (!package.is_array()) ThrowRpcError(kRpcTypeError, "package must be an array");
  // Core's limit on package size.
  if (package.empty() || package.size() > 25) {
    ThrowRpcError(kRpcInvalidParameter, "Array must contain between 1 and 25 transactions.");
  }
  std::vector<Bytes> raws;
  for (const json& hex : package) {
    if (!hex.is_string()) ThrowRpcError(kRpcTypeError, "package entries must be strings");
    raws.push_back(DecodeTransactionHex(hex.get<std::string>()));
  }
  // Accepted one by one in the given (parents first) order; the first
  // failure fails the rest, as Core reports a package that did not validate.
  json results = json::object();
  bool all_accepted = true;
  for (Bytes& raw : raws) {
    auto parsed = chain::ParseTransaction(raw);
    const std::string wtxid = parsed.ok() ? parsed->ComputeWtxid().ToDisplayHex() : "";
    const std::string txid = parsed.ok() ? parsed->txid.ToDisplayHex() : "";
    if (!all_accepted) {
      results[wtxid] = {{"txid", txid}, {"error", "package-not-validated"}};
      continue;
    }
    if (parsed.ok() && node().mempool().Find(parsed->txid) != nullptr) {
      results[wtxid] = {{"txid", txid}, {"other-wtxid", wtxid}};
      continue;
    }
    auto accepted = node().SubmitTransaction(std::move(raw), FeeRateArgument(args, 1));
    if (auto* reason = std::get_if<RejectReason>(&accepted)) {
      all_accepted = false;
      results[wtxid] = {{"txid", txid}, {"error", reason->message}};
      continue;
    }
    const MempoolEntry* entry = node().mempool().Find(std::get<chain::TxId>(accepted));
    results[wtxid] = {{"txid", txid},
                      {"vsize", entry != nullptr ? entry->vsize : 0},
                      {"fees", {{"base", Amount(entry != nullptr ? entry->fee : 0)}}}};
  }
  return {{"package_msg", all_accepted ? "success" : "transaction failed"},
          {"tx-results", results},
          {"replaced-transactions", json::array()}};
}

json RpcDispatcher::EstimateSmartFee(const json& params) {
  RpcParams args(params, {"conf_target", "estimate_mode"});
  const int64_t target = args.Int(0);
  const std::string mode = args.String(1, "conservative");
  if (target < 1 || target > kMaxConfirmationTarget) {
    ThrowRpcError(kRpcInvalidParameter, "Invalid conf_target, must be between 1 and 1008");
  }
  if (mode != "unset" && mode != "economical" && mode != "conservative" && mode != "UNSET" &&
      mode != "ECONOMICAL" && mode != "CONSERVATIVE") {
    ThrowRpcError(kRpcInvalidParameter,
                  "Invalid estimate_mode parameter, must be one of: \"unset\", "
                  "\"economical\", \"conservative\"");
  }
  if (context_.fee_estimate_per_kvb <= 0) {
    return {{"errors", json::array({"Insufficient data or no feerate found"})}, {"blocks", 0}};
  }
  return {{"feerate", Amount(context_.fee_estimate_per_kvb)}, {"blocks", target}};
}

json RpcDispatcher::GetNetworkInfo(const json& params) {
  RpcParams(params, {});
  const double relay_fee = Amount(kMinRelayFeePerKvb);
  return {{"version", kVersion},
          {"subversion", "/Satoshi:25.0.0(simnode)/"},
          {"protocolversion", kProtocolVersion},
          {"localservices", "0000000000000409"},
          {"localservicesnames", json::array({"NETWORK", "WITNESS", "NETWORK_LIMITED"})},
          {"localrelay", true},
          {"timeoffset", 0},
          {"networkactive", true},
          {"connections", 0},
          {"connections_in", 0},
          {"connections_out", 0},
          {"networks", json::array()},
          {"relayfee", relay_fee},
          {"incrementalfee", relay_fee},
          {"localaddresses", json::array()},
          {"warnings", ""}};
}

json RpcDispatcher::GetZmqNotifications(const json& params) {
  RpcParams(params, {});
  json out = json::array();
  for (const auto& [type, address] : context_.zmq_notifications) {
    out.push_back({{"type", type}, {"address", address}, {"hwm", 1000}});
  }
  return out;
}

json RpcDispatcher::Uptime(const json& params) {
  RpcParams(params, {});
  return node().UptimeSeconds();
}

json RpcDispatcher::Stop(const json& params) {
  RpcParams(params, {"wait"});
  if (context_.request_stop) context_.request_stop();
  return "Bitcoin Core stopping";
}

}  // namespace electrum::simnode
