#include "tools/simnode/workload.h"

#include <cmath>

#include "common/status/status_macros.h"
#include "tools/simnode/block_assembler.h"
#include "tools/simnode/tx_builder.h"

namespace electrum::simnode {
namespace {

// Dust floor for generated outputs, and the fee rates used (sat/vB).
constexpr int64_t kMinOutputValue = 20000;
constexpr int kMinFeeRate = 1;
constexpr int kMaxFeeRate = 30;
// Namecoin: one transaction in this many carries a name operation, over
// this many distinct names. (Real name outputs lock 0.01 NMC; the generator's
// coins are often smaller, and simnode checks no name consensus rules.)
constexpr uint64_t kNameOperationEvery = 20;
constexpr uint64_t kNamePool = 2000;
constexpr int64_t kNameOutputValue = 20000;
// Outputs of each set-up payout transaction.
constexpr int kFanOutOutputs = 200;

Bytes Hash20(uint64_t seed) {
  Bytes out(20);
  for (size_t i = 0; i < out.size(); ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    out[i] = static_cast<uint8_t>(seed >> 56);
  }
  return out;
}

Bytes Hash32(uint64_t seed) {
  Bytes out = Hash20(seed);
  Bytes more = Hash20(seed ^ 0x9e3779b97f4a7c15ULL);
  out.insert(out.end(), more.begin(), more.begin() + 12);
  return out;
}

}  // namespace

WorkloadGenerator::WorkloadGenerator(const WorkloadOptions& options)
    : options_(options), random_(options.seed) {}

void WorkloadGenerator::UseCoin(const SimCoin& coin) {
  name_operations_ = coin.name_operations;
  segwit_ = coin.segwit;
}

Bytes WorkloadGenerator::ScriptFor(uint64_t index) const {
  // The type follows from the index, so a reused script keeps its type.
  if (!segwit_) return index % 10 < 7 ? P2pkhScript(Hash20(index)) : P2shScript(Hash20(index));
  switch (index % 10) {
    case 0:
    case 1:
    case 2:
      return P2pkhScript(Hash20(index));
    case 3:
      return P2shScript(Hash20(index));
    case 4:
    case 5:
    case 6:
    case 7:
      return P2wpkhScript(Hash20(index));
    case 8:
      return P2wshScript(Hash32(index));
    default:
      return P2trScript(Hash32(index));
  }
}

Bytes WorkloadGenerator::HotScript(int index) const {
  Bytes key = Hash20(0xfeed0000ULL + static_cast<uint64_t>(index));
  return segwit_ ? P2wpkhScript(key) : P2pkhScript(key);
}

Bytes WorkloadGenerator::PickScript(bool* segwit) {
  if (options_.hot_scripts > 0 && NextUnit() < options_.hot_share) {
    *segwit = segwit_;
    return HotScript(static_cast<int>(Next() % options_.hot_scripts));
  }
  // u^3 concentrates picks on low indexes: a few scripts are reused a lot,
  // most rarely, as with real address reuse.
  double u = NextUnit();
  uint64_t index = static_cast<uint64_t>(u * u * u * options_.script_pool);
  *segwit = segwit_ && index % 10 >= 4;
  return ScriptFor(index);
}

TxOutputSpec WorkloadGenerator::NameOutput() {
  // Names are reused with a heavy tail too: a few are updated very often.
  double u = NextUnit();
  const uint64_t index = static_cast<uint64_t>(u * u * kNamePool);
  const std::string name = "d/simnode-" + std::to_string(index);
  const std::string value = "{\"ip\":\"127.0.0." + std::to_string(Next() % 250 + 1) + "\"}";
  bool segwit = true;
  Bytes owner = PickScript(&segwit);
  Bytes name_bytes(name.begin(), name.end());
  Bytes value_bytes(value.begin(), value.end());
  if (registered_names_.insert(index).second) {
    return {kNameOutputValue,
            NameFirstUpdateScript(name_bytes, Hash20(Next()), value_bytes, owner)};
  }
  return {kNameOutputValue, NameUpdateScript(name_bytes, value_bytes, owner)};
}

void WorkloadGenerator::AddCoinbase(const BlockEntry& block) {
  const Transaction& coinbase = block.block.transactions[0];
  pool_.push_back({{coinbase.txid, 0}, coinbase.outputs[0].value, segwit_});
}

std::vector<Bytes> WorkloadGenerator::MakeBlockTransactions(int count, int64_t* fees,
                                                            std::vector<Spendable>* created) {
  std::vector<Bytes> transactions;
  transactions.reserve(count);
  *fees = 0;
  while (static_cast<int>(transactions.size()) < count && !pool_.empty()) {
    const int input_count = std::min<int>(pool_.size(), 1 + (Next() % 4 == 0 ? 1 : 0));
    std::vector<TxInputSpec> inputs;
    int64_t value_in = 0;
    for (int i = 0; i < input_count; ++i) {
      size_t pick = Next() % pool_.size();
      inputs.push_back({pool_[pick].outpoint, pool_[pick].segwit});
      value_in += pool_[pick].value;
      pool_[pick] = pool_.back();
      pool_.pop_back();
    }
    int output_count = 1 + static_cast<int>(Next() % 3);
    const bool with_data = Next() % 50 == 0;
    const bool with_name = name_operations_ && Next() % kNameOperationEvery == 0;
    const int64_t name_value = with_name ? kNameOutputValue : 0;
    const int64_t fee_rate = kMinFeeRate + static_cast<int64_t>(Next() % kMaxFeeRate);
    int64_t fee = fee_rate * (EstimatedVsize(input_count, output_count + (with_data ? 1 : 0)) + 40);
    const int64_t spendable = value_in - fee - name_value;
    while (output_count > 1 && spendable < output_count * kMinOutputValue) --output_count;
    if (spendable < kMinOutputValue) continue;  // dust: left unspent for good
    std::vector<TxOutputSpec> outputs;
    std::vector<bool> output_segwit;
    int64_t remaining = spendable;
    for (int o = 0; o < output_count; ++o) {
      // Every output, this one and those left, keeps at least the minimum.
      const int left = output_count - o;
      int64_t value =
          left == 1
              ? remaining
              : kMinOutputValue + static_cast<int64_t>(
                                      NextUnit() * ((remaining - left * kMinOutputValue) / left));
      remaining -= value;
      bool segwit = true;
      outputs.push_back({value, PickScript(&segwit)});
      output_segwit.push_back(segwit);
    }
    if (with_data) outputs.push_back({0, OpReturnScript(Hash20(Next()))});
    if (with_name) outputs.push_back(NameOutput());
    Bytes raw = BuildTransaction(inputs, outputs, 0, with_name ? kNamecoinTxVersion : 2);
    TxId txid = chain::ParseTransaction(raw).value().txid;
    for (uint32_t o = 0; o < output_segwit.size(); ++o) {
      created->push_back({{txid, o}, outputs[o].value, output_segwit[o]});
    }
    *fees += fee;
    transactions.push_back(std::move(raw));
  }
  return transactions;
}

std::vector<Bytes> WorkloadGenerator::MakeFanOutTransactions(int limit, int64_t* fees,
                                                             std::vector<Spendable>* created) {
  std::vector<Bytes> transactions;
  *fees = 0;
  while (static_cast<int>(transactions.size()) < limit && !pool_.empty()) {
    Spendable coin = pool_.back();
    pool_.pop_back();
    const int64_t fee = kMinFeeRate * EstimatedVsize(1, kFanOutOutputs);
    const int64_t each = (coin.value - fee) / kFanOutOutputs;
    if (each < kMinOutputValue) continue;  // dust: drop it from the pool
    std::vector<TxOutputSpec> outputs;
    std::vector<bool> output_segwit;
    for (int o = 0; o < kFanOutOutputs; ++o) {
      bool segwit = true;
      outputs.push_back({each, PickScript(&segwit)});
      output_segwit.push_back(segwit);
    }
    Bytes raw = BuildTransaction({{coin.outpoint, coin.segwit}}, outputs);
    TxId txid = chain::ParseTransaction(raw).value().txid;
    for (uint32_t o = 0; o < outputs.size(); ++o) {
      created->push_back({{txid, o}, each, output_segwit[o]});
    }
    *fees += coin.value - each * kFanOutOutputs;
    transactions.push_back(std::move(raw));
  }
  return transactions;
}

void WorkloadGenerator::AdoptChain(const Node& node, int recent_blocks) {
  const Chain& chain = node.chain();
  UseCoin(node.coin());
  const int first = std::max(1, chain.Height() - recent_blocks + 1);
  for (int height = first; height <= chain.Height(); ++height) {
    const BlockEntry* entry = chain.AtHeight(height);
    for (const Transaction& tx : entry->block.transactions) {
      for (uint32_t index = 0; index < tx.outputs.size(); ++index) {
        const Coin* coin = chain.FindCoin({tx.txid, index});
        if (coin == nullptr || coin->value < kMinOutputValue) continue;
        if (coin->coinbase && chain.Height() + 1 - coin->height < kCoinbaseMaturity) continue;
        pool_.push_back({{tx.txid, index}, coin->value, segwit_});
      }
    }
  }
}

std::optional<WorkloadGenerator::ChurnTransaction> WorkloadGenerator::NextChurnTransaction() {
  pending_.clear();
  int64_t fees = 0;
  std::vector<Bytes> one = MakeBlockTransactions(1, &fees, &pending_);
  if (one.empty()) return std::nullopt;
  return ChurnTransaction{std::move(one[0]), fees};
}

void WorkloadGenerator::Accepted() {
  pool_.insert(pool_.end(), pending_.begin(), pending_.end());
  pending_.clear();
}

absl::Status WorkloadGenerator::Run(Node& node) {
  UseCoin(node.coin());
  const Bytes miner = HotScript(0);
  // Coinbase outputs mature after 100 blocks: mine 100 extra first.
  const int warmup = kCoinbaseMaturity + 1;
  for (int i = 0; i < warmup; ++i) {
    ASSIGN_OR_RETURN(BlockHash hash, node.MineBlockWith({}, 0, miner));
    (void)hash;
  }
  for (int height = 1; height <= node.chain().Height() - kCoinbaseMaturity; ++height) {
    AddCoinbase(*node.chain().AtHeight(height));
  }
  // Batch payouts until there are enough coins to spend a full block's worth
  // each block (like an exchange funding many users).
  while (pool_.size() < static_cast<size_t>(2 * options_.transactions_per_block) + 2) {
    int64_t fees = 0;
    std::vector<Spendable> created;
    std::vector<Bytes> transactions =
        MakeFanOutTransactions(options_.transactions_per_block, &fees, &created);
    if (transactions.empty()) return absl::InternalError("workload ran out of coins");
    ASSIGN_OR_RETURN(BlockHash hash, node.MineBlockWith(std::move(transactions), fees, miner));
    (void)hash;
    pool_.insert(pool_.end(), created.begin(), created.end());
    AddCoinbase(*node.chain().AtHeight(node.chain().Height() - kCoinbaseMaturity));
  }
  for (int b = 0; b < options_.blocks; ++b) {
    int64_t fees = 0;
    std::vector<Spendable> created;
    std::vector<Bytes> transactions =
        MakeBlockTransactions(options_.transactions_per_block, &fees, &created);
    transactions_generated_ += transactions.size();
    ASSIGN_OR_RETURN(BlockHash hash, node.MineBlockWith(std::move(transactions), fees, miner));
    (void)hash;
    pool_.insert(pool_.end(), created.begin(), created.end());
    AddCoinbase(*node.chain().AtHeight(node.chain().Height() - kCoinbaseMaturity));
  }
  return absl::OkStatus();
}

}  // namespace electrum::simnode
