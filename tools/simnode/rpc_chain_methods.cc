// Chain methods of RpcDispatcher.
#include "absl/strings/str_cat.h"
#include "common/chain/address.h"
#include "common/chain/coins.h"
#include "common/crypto/hex.h"
#include "tools/simnode/core_json.h"
#include "tools/simnode/rpc_dispatcher.h"

namespace electrum::simnode {
namespace {

using nlohmann::json;

}  // namespace

json RpcDispatcher::GetBlockchainInfo(const json& params) {
  RpcParams(params, {});
  const Chain& chain = node().chain();
  const BlockEntry& tip = *chain.Tip();
  json header = HeaderJson(chain, tip);
  return {{"chain", "regtest"},
          {"blocks", chain.Height()},
          {"headers", chain.Height()},
          {"bestblockhash", tip.hash.ToDisplayHex()},
          {"difficulty", header["difficulty"]},
          {"time", tip.block.header.time},
          {"mediantime", chain.MedianTimePast(&tip)},
          {"verificationprogress", 1},
          {"initialblockdownload", false},
          {"chainwork", header["chainwork"]},
          {"size_on_disk", 0},
          {"pruned", false},
          {"warnings", ""}};
}

json RpcDispatcher::GetBestBlockHash(const json& params) {
  RpcParams(params, {});
  return node().chain().Tip()->hash.ToDisplayHex();
}

json RpcDispatcher::GetBlockCount(const json& params) {
  RpcParams(params, {});
  return node().chain().Height();
}

json RpcDispatcher::GetBlockHash(const json& params) {
  RpcParams args(params, {"height"});
  const BlockEntry* entry = node().chain().AtHeight(static_cast<int>(args.Int(0)));
  if (entry == nullptr) {
    ThrowRpcError(kRpcInvalidParameter, "Block height out of range");
  }
  return entry->hash.ToDisplayHex();
}

json RpcDispatcher::GetBlockHeader(const json& params) {
  RpcParams args(params, {"blockhash", "verbose"});
  const BlockEntry& entry = FindBlock(args.BlockHash(0));
  if (!args.Bool(1, true)) return ToHex(entry.block.header.raw);
  return HeaderJson(node().chain(), entry);
}

json RpcDispatcher::GetBlock(const json& params) {
  RpcParams args(params, {"blockhash", "verbosity"});
  const BlockEntry& entry = FindBlock(args.BlockHash(0));
  const json& verbosity_param = args.Has(1) ? args.Get(1) : json(1);
  int verbosity = verbosity_param.is_boolean() ? (verbosity_param.get<bool>() ? 1 : 0)
                                               : static_cast<int>(args.Int(1, 1));
  const BlockContents contents = ContentsOf(entry, /*parsed=*/verbosity > 0);
  if (verbosity <= 0) return ToHex(contents.raw);
  return BlockJson(node().chain(), entry, contents, verbosity, Addresses());
}

json RpcDispatcher::GetRawTransaction(const json& params) {
  RpcParams args(params, {"txid", "verbose", "blockhash"});
  const chain::TxId txid = args.TxId(0);
  const json& verbose_param = args.Has(1) ? args.Get(1) : json(false);
  const bool verbose = verbose_param.is_boolean() ? verbose_param.get<bool>() : args.Int(1, 0) != 0;
  const Chain& chain = node().chain();
  const Transaction* tx = nullptr;
  const BlockEntry* block = nullptr;
  BlockContents contents;  // holds `tx` when it comes from a block
  if (args.Has(2)) {
    const BlockEntry* given = chain.Find(args.BlockHash(2));
    if (given == nullptr) ThrowRpcError(kRpcInvalidAddressOrKey, "Block hash not found");
    contents = ContentsOf(*given);
    for (const Transaction& candidate : contents.block->transactions) {
      if (candidate.txid == txid) tx = &candidate;
    }
    if (tx == nullptr) {
      ThrowRpcError(
          kRpcInvalidAddressOrKey,
          "No such transaction found in the provided block. Use gettransaction for wallet "
          "transactions.");
    }
    block = given;
  } else if (const MempoolEntry* entry = node().mempool().Find(txid)) {
    tx = &entry->tx;
  } else if (auto location = chain.FindTransaction(txid)) {
    block = location->block;
    contents = ContentsOf(*block);
    tx = &contents.block->transactions[location->position];
  } else {
    ThrowRpcError(kRpcInvalidAddressOrKey,
                  "No such mempool or blockchain transaction. Use gettransaction for wallet "
                  "transactions.");
  }
  if (!verbose) return ToHex(tx->raw);
  json out = TransactionJson(*tx, true, Addresses());
  if (block != nullptr) {
    const bool active = chain.IsActive(block);
    if (args.Has(2)) out["in_active_chain"] = active;
    out["blockhash"] = block->hash.ToDisplayHex();
    out["confirmations"] = active ? chain.Height() - block->height + 1 : 0;
    out["time"] = block->block.header.time;
    out["blocktime"] = block->block.header.time;
  }
  return out;
}

json RpcDispatcher::GenerateToAddress(const json& params) {
  RpcParams args(params, {"nblocks", "address", "maxtries"});
  const int64_t count = args.Int(0);
  auto script = chain::AddressToScript(Addresses(), args.String(1));
  if (!script.ok()) ThrowRpcError(kRpcInvalidAddressOrKey, "Error: Invalid address");
  if (count < 0) ThrowRpcError(kRpcInvalidParameter, "nblocks must be non-negative");
  auto hashes = node().Generate(static_cast<int>(count), *script);
  if (!hashes.ok()) ThrowRpcError(kRpcMiscError, std::string(hashes.status().message()));
  json out = json::array();
  for (const chain::BlockHash& hash : *hashes) out.push_back(hash.ToDisplayHex());
  return out;
}

json RpcDispatcher::InvalidateBlock(const json& params) {
  RpcParams args(params, {"blockhash"});
  absl::Status status = node().InvalidateBlock(FindBlock(args.BlockHash(0)).hash);
  if (!status.ok()) ThrowRpcError(kRpcMiscError, std::string(status.message()));
  return nullptr;
}

json RpcDispatcher::ReconsiderBlock(const json& params) {
  RpcParams args(params, {"blockhash"});
  absl::Status status = node().ReconsiderBlock(FindBlock(args.BlockHash(0)).hash);
  if (!status.ok()) ThrowRpcError(kRpcMiscError, std::string(status.message()));
  return nullptr;
}

json RpcDispatcher::SimReorg(const json& params) {
  RpcParams args(params, {"depth", "address"});
  const int64_t depth = args.Int(0);
  const Chain& chain = node().chain();
  if (depth < 1 || depth > chain.Height()) {
    ThrowRpcError(kRpcInvalidParameter,
                  absl::StrCat("depth must be between 1 and ", chain.Height()));
  }
  // New blocks pay where the tip paid, unless an address is given.
  chain::ByteSpan tip_payout = chain.Tip()->block.transactions[0].outputs[0].script_pubkey;
  Bytes script(tip_payout.begin(), tip_payout.end());
  if (args.Has(1)) {
    auto given = chain::AddressToScript(Addresses(), args.String(1));
    if (!given.ok()) ThrowRpcError(kRpcInvalidAddressOrKey, "Error: Invalid address");
    script = *given;
  }
  const BlockEntry* fork_child = chain.AtHeight(chain.Height() - static_cast<int>(depth) + 1);
  absl::Status status = node().InvalidateBlock(fork_child->hash);
  if (!status.ok()) ThrowRpcError(kRpcMiscError, std::string(status.message()));
  auto hashes = node().Generate(static_cast<int>(depth) + 1, script);
  if (!hashes.ok()) ThrowRpcError(kRpcMiscError, std::string(hashes.status().message()));
  return {{"fork_height", fork_child->height - 1},
          {"tip", node().chain().Tip()->hash.ToDisplayHex()},
          {"height", node().chain().Height()}};
}

}  // namespace electrum::simnode
