#include "tools/simnode/mainnet_workload.h"

#include <algorithm>
#include <cmath>

#include "common/status/status_macros.h"
#include "tools/simnode/block_assembler.h"

namespace electrum::simnode {
namespace {

// Transaction patterns (docs/mainnet_shape.md): shares of 1-in/1-out,
// 1-in/2-out (payment + change), 1-in/many-out (batch payout) and
// many-in/1-out (consolidation); the rest is 2–3 in, 2–3 out.
constexpr double kOneToOne = 0.26;
constexpr double kOneToTwo = 0.60;
constexpr double kBatch = 0.045;
constexpr double kConsolidation = 0.055;
// The unspent set grows by about this much per transaction (mainnet: 173M
// unspent outputs after about 1.1 billion transactions). The difference
// of outputs and inputs is small beside both and the tails are heavy, so
// the consolidation share steers it: between half and 1.6 times the above,
// more when the set runs ahead of this growth, fewer when it lags.
constexpr double kUnspentPerTransaction = 1.0 / 6.5;
// Tails (Lomax: scale * (u^(-1/shape) - 1)), capped as wallets cap them.
constexpr double kBatchTailScale = 4.8, kBatchTailShape = 1.8;
constexpr int kMostBatchOutputs = 1000;
constexpr double kConsolidationTailScale = 11.5, kConsolidationTailShape = 1.8;
constexpr int kMostConsolidationInputs = 500;
// Spends: most take an output of the last blocks; consolidations sweep old.
constexpr double kRecentSpendShare = 0.7;
constexpr double kConsolidationOldShare = 0.9;
constexpr int kRecentBlocks = 6;
// Payments pass over coins below this (wallets leave dust for a later
// consolidation); tries per input before taking what comes.
constexpr int64_t kSpendFloor = 30000;
constexpr int kDustRetries = 3;
// Address reuse: a payment goes to a never-used script this often, else to
// a reused one picked by Zipf rank (the top rank gets the most); change goes
// back to the spender's own script this often.
constexpr double kFreshPaymentShare = 0.55;
constexpr uint64_t kReusedScripts = 5000000;
constexpr double kChangeToSpenderShare = 0.25;
// One transaction in this many carries an OP_RETURN output.
constexpr uint64_t kDataCarrierEvery = 25;
// Mining pools, paid by Zipf rank too.
constexpr uint64_t kPools = 12;
// Script id ranges: pools, reused scripts, then fresh ones.
constexpr uint64_t kPoolBase = 1ULL << 62;
constexpr uint64_t kFreshBase = 1ULL << 40;
// Values and fees (sat, sat/vB).
constexpr int64_t kMinOutputValue = 1000;
constexpr int kMaxFeeRate = 20;
constexpr int kFanOutOutputs = 200;

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

Bytes HashBytes(uint64_t id, size_t size) {
  Bytes out(size);
  uint64_t word = Mix(id);
  for (size_t i = 0; i < size; ++i) {
    if (i % 8 == 0) word = Mix(word + i);
    out[i] = static_cast<uint8_t>(word >> (8 * (i % 8)));
  }
  return out;
}

// Output script types over the chain's history (docs/mainnet_shape.md), in
// percent; a script's type follows from its id.
enum class ScriptType { kP2pkh, kP2sh, kP2wpkh, kP2wsh, kP2tr };
struct TypeShare {
  ScriptType type;
  uint64_t percent;
};
constexpr TypeShare kScriptMix[] = {{ScriptType::kP2pkh, 36},
                                    {ScriptType::kP2sh, 15},
                                    {ScriptType::kP2wpkh, 32},
                                    {ScriptType::kP2wsh, 3},
                                    {ScriptType::kP2tr, 14}};

ScriptType TypeOf(uint64_t script_id) {
  uint64_t bucket = Mix(script_id ^ 0x5eed) % 100;
  for (const TypeShare& share : kScriptMix) {
    if (bucket < share.percent) return share.type;
    bucket -= share.percent;
  }
  return ScriptType::kP2tr;
}

bool IsWitnessScript(uint64_t script_id) {
  const ScriptType type = TypeOf(script_id);
  return type != ScriptType::kP2pkh && type != ScriptType::kP2sh;
}

// Zipf rank in [0, n): P(k) ~ 1/(k+1), by inverting the continuous CDF.
uint64_t ZipfRank(double u, uint64_t n) {
  const double rank = std::exp(u * std::log(static_cast<double>(n) + 1)) - 1;
  return std::min<uint64_t>(n - 1, static_cast<uint64_t>(rank));
}

int Lomax(double u, double scale, double shape) {
  const double x = scale * (std::pow(1 - u, -1 / shape) - 1);
  return x > 1e6 ? 1000000 : static_cast<int>(x);
}

}  // namespace

Bytes MainnetScript(uint64_t script_id) {
  switch (TypeOf(script_id)) {
    case ScriptType::kP2pkh:
      return P2pkhScript(HashBytes(script_id, 20));
    case ScriptType::kP2sh:
      return P2shScript(HashBytes(script_id, 20));
    case ScriptType::kP2wpkh:
      return P2wpkhScript(HashBytes(script_id, 20));
    case ScriptType::kP2wsh:
      return P2wshScript(HashBytes(script_id, 32));
    case ScriptType::kP2tr:
      break;
  }
  return P2trScript(HashBytes(script_id, 32));
}

MainnetWorkload::MainnetWorkload(const MainnetShapeOptions& options)
    : options_(options), random_(options.seed ^ 0x6d61696e6e6574ULL) {}

MainnetWorkload::Shape MainnetWorkload::NextShape() {
  const double u = NextUnit();
  if (u < kOneToOne) return {.inputs = 1, .outputs = 1};
  if (u < kOneToOne + kOneToTwo) return {.inputs = 1, .outputs = 2, .change = true};
  if (u < kOneToOne + kOneToTwo + kBatch) {
    const int tail = Lomax(NextUnit(), kBatchTailScale, kBatchTailShape);
    return {.inputs = 1, .outputs = std::min(kMostBatchOutputs, 3 + tail), .change = true};
  }
  const double target = base_unspent_ + kUnspentPerTransaction * transactions_generated_;
  const double ahead = static_cast<double>(recent_.size() + old_.size() + abandoned_) / target;
  const double consolidation =
      std::clamp(kConsolidation * ahead * ahead, kConsolidation / 2, kConsolidation * 1.6);
  if (u < kOneToOne + kOneToTwo + kBatch + consolidation) {
    const int tail = Lomax(NextUnit(), kConsolidationTailScale, kConsolidationTailShape);
    return {.inputs = std::min(kMostConsolidationInputs, 2 + tail),
            .outputs = 1,
            .consolidation = true};
  }
  return {.inputs = 2 + static_cast<int>(Next() % 2),
          .outputs = 2 + (NextUnit() < 0.3 ? 1 : 0),
          .change = true};
}

uint64_t MainnetWorkload::PaymentScript() {
  if (NextUnit() < kFreshPaymentShare) return kFreshBase + next_fresh_script_++;
  return ZipfRank(NextUnit(), kReusedScripts);
}

MainnetWorkload::Spendable MainnetWorkload::TakeInput(bool prefer_old) {
  const double old_share = prefer_old ? kConsolidationOldShare : 1 - kRecentSpendShare;
  const bool from_old = !old_.empty() && (recent_.empty() || NextUnit() < old_share);
  auto take = [this](auto& pool) {
    const size_t pick = Next() % pool.size();
    Spendable coin = pool[pick];
    pool[pick] = pool.back();
    pool.pop_back();
    return coin;
  };
  return from_old ? take(old_) : take(recent_);
}

bool MainnetWorkload::MakeTransaction(const Shape& shape, std::vector<Bytes>& block, int64_t& fees,
                                      std::vector<Spendable>& created) {
  const size_t available = recent_.size() + old_.size();
  const int input_count = static_cast<int>(std::min<size_t>(shape.inputs, available));
  if (input_count == 0) return false;
  std::vector<TxInputSpec> inputs;
  int64_t value_in = 0;
  uint64_t spender = 0;
  for (int i = 0; i < input_count; ++i) {
    Spendable coin = TakeInput(shape.consolidation);
    // Dust goes back among the old coins, for a consolidation to sweep.
    for (int retry = 0; !shape.consolidation && coin.value < kSpendFloor && retry < kDustRetries;
         ++retry) {
      old_.push_back(coin);
      coin = TakeInput(false);
    }
    if (i == 0) spender = coin.script_id;
    inputs.push_back({coin.outpoint, IsWitnessScript(coin.script_id)});
    value_in += coin.value;
  }
  const bool with_data = Next() % kDataCarrierEvery == 0;
  int output_count = shape.outputs;
  // Fee rates lean low, as most of the chain's history paid a few sat/vB.
  const double rate_unit = NextUnit();
  const int64_t fee_rate = 1 + static_cast<int64_t>(rate_unit * rate_unit * (kMaxFeeRate - 1));
  const int64_t fee = fee_rate * EstimatedVsize(input_count, output_count + (with_data ? 1 : 0));
  const int64_t spendable = value_in - fee;
  while (output_count > 1 && spendable < output_count * kMinOutputValue) --output_count;
  if (spendable < kMinOutputValue) {  // dust: stays unspent for good
    abandoned_ += input_count;
    return false;
  }
  std::vector<TxOutputSpec> outputs;
  std::vector<uint64_t> scripts;
  int64_t remaining = spendable;
  for (int o = 0; o < output_count; ++o) {
    const int left = output_count - o;
    const int64_t value =
        left == 1
            ? remaining
            : kMinOutputValue +
                  static_cast<int64_t>(NextUnit() * ((remaining - left * kMinOutputValue) / left));
    remaining -= value;
    const bool is_change = shape.change && left == 1;
    const bool back_to_spender =
        (is_change || shape.consolidation) && NextUnit() < kChangeToSpenderShare;
    const uint64_t script = back_to_spender ? spender
                            : is_change     ? kFreshBase + next_fresh_script_++
                                            : PaymentScript();
    outputs.push_back({value, MainnetScript(script)});
    scripts.push_back(script);
  }
  if (with_data) outputs.push_back({0, OpReturnScript(HashBytes(Next(), 20))});
  Bytes raw = simnode::BuildTransaction(inputs, outputs);
  const TxId txid = chain::ParseTransaction(raw).value().txid;
  for (uint32_t o = 0; o < scripts.size(); ++o) {
    created.push_back({{txid, o}, outputs[o].value, scripts[o]});
  }
  fees += fee;
  block.push_back(std::move(raw));
  return true;
}

std::vector<Bytes> MainnetWorkload::FanOut(int limit, int64_t& fees,
                                           std::vector<Spendable>& created) {
  std::vector<Bytes> transactions;
  while (static_cast<int>(transactions.size()) < limit && !(recent_.empty() && old_.empty())) {
    const Spendable coin = TakeInput(false);
    const int64_t fee = EstimatedVsize(1, kFanOutOutputs);  // 1 sat/vB
    const int64_t each = (coin.value - fee) / kFanOutOutputs;
    if (each < kMinOutputValue) continue;
    std::vector<TxOutputSpec> outputs;
    std::vector<uint64_t> scripts;
    for (int o = 0; o < kFanOutOutputs; ++o) {
      scripts.push_back(PaymentScript());
      outputs.push_back({each, MainnetScript(scripts.back())});
    }
    Bytes raw =
        simnode::BuildTransaction({{coin.outpoint, IsWitnessScript(coin.script_id)}}, outputs);
    const TxId txid = chain::ParseTransaction(raw).value().txid;
    for (uint32_t o = 0; o < scripts.size(); ++o) created.push_back({{txid, o}, each, scripts[o]});
    fees += coin.value - each * kFanOutOutputs;
    transactions.push_back(std::move(raw));
  }
  return transactions;
}

void MainnetWorkload::AddSpendable(const Spendable& coin) {
  recent_.push_back(coin);
  // Past a few blocks' worth, the oldest recent outputs become old ones.
  const size_t capacity = static_cast<size_t>(kRecentBlocks) * 2 * options_.transactions_per_block;
  while (recent_.size() > capacity) {
    old_.push_back(recent_.front());
    recent_.pop_front();
  }
}

absl::Status MainnetWorkload::Mine(Node& node, std::vector<Bytes> transactions, int64_t fees,
                                   std::vector<Spendable>& created) {
  const uint64_t pool = kPoolBase + ZipfRank(NextUnit(), kPools);
  ASSIGN_OR_RETURN(BlockHash hash,
                   node.MineBlockWith(std::move(transactions), fees, MainnetScript(pool)));
  (void)hash;
  for (const Spendable& coin : created) AddSpendable(coin);
  created.clear();
  miners_.push_back(pool);  // miners_[h - 1] mined height h
  const int matured = node.chain().Height() - kCoinbaseMaturity;
  if (matured >= 1) {
    const Transaction& coinbase = node.chain().AtHeight(matured)->block.transactions[0];
    AddSpendable({{coinbase.txid, 0}, coinbase.outputs[0].value, miners_[matured - 1]});
  }
  return absl::OkStatus();
}

absl::Status MainnetWorkload::Run(Node& node) {
  if (node.chain().Height() != 0) {
    return absl::FailedPreconditionError("the mainnet workload starts from genesis");
  }
  std::vector<Spendable> created;
  for (int i = 0; i <= kCoinbaseMaturity; ++i) RETURN_IF_ERROR(Mine(node, {}, 0, created));
  // Batch payouts (an exchange funding its users) until a block's worth of
  // coins exists; they count as transactions of the chain.
  const size_t needed = 2 * static_cast<size_t>(options_.transactions_per_block);
  while (recent_.size() + old_.size() < needed) {
    int64_t fees = 0;
    const size_t have = recent_.size() + old_.size();
    const int fan_outs = static_cast<int>((needed - have) / (kFanOutOutputs - 1) + 1);
    std::vector<Bytes> transactions = FanOut(fan_outs, fees, created);
    if (transactions.empty()) return absl::InternalError("mainnet workload ran out of coins");
    transactions_generated_ += transactions.size();
    RETURN_IF_ERROR(Mine(node, std::move(transactions), fees, created));
  }
  base_unspent_ = static_cast<double>(recent_.size() + old_.size());
  while (static_cast<int64_t>(transactions_generated_) < options_.transactions) {
    const int64_t left = options_.transactions - static_cast<int64_t>(transactions_generated_);
    const int64_t size = std::min<int64_t>(
        left, static_cast<int64_t>(options_.transactions_per_block * (0.5 + NextUnit())) + 1);
    std::vector<Bytes> transactions;
    transactions.reserve(size);
    int64_t fees = 0;
    int attempts = 0;
    while (static_cast<int64_t>(transactions.size()) < size && attempts++ < 4 * size) {
      MakeTransaction(NextShape(), transactions, fees, created);
    }
    if (transactions.empty()) return absl::InternalError("mainnet workload ran out of coins");
    transactions_generated_ += transactions.size();
    RETURN_IF_ERROR(Mine(node, std::move(transactions), fees, created));
  }
  return absl::OkStatus();
}

}  // namespace electrum::simnode
