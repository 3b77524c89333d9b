// Fee and mempool methods (spec §3.11–§3.14).
#include <cctype>

#include "absl/strings/str_cat.h"
#include "gateway/methods/handler_support.h"
#include "gateway/protocol/argument_types.h"

namespace electrum::gateway {
namespace {

using Arguments = std::vector<nlohmann::json>;
using Reply = boost::asio::awaitable<absl::StatusOr<MethodResult>>;

double CoinsPerKvb(uint64_t satoshis) { return static_cast<double>(satoshis) / 1e8; }

// ElectrumX's Bitcoin block-target buckets, so estimates cache well.
uint64_t BucketedTarget(uint64_t blocks) {
  if (blocks <= 1) return 1;
  if (blocks <= 12) return blocks;
  if (blocks == 25) return 25;
  if (blocks <= 48) return blocks / 2 * 2;
  if (blocks <= 1008) return blocks / 24 * 24;
  return 1008;
}

Reply EstimateFee(CallContext& context, const Arguments& arguments) {
  absl::StatusOr<uint64_t> blocks = NonNegativeIntegerArgument(arguments[0]);
  if (!blocks.ok()) co_return blocks.status();
  std::string mode;
  if (arguments[1].is_string()) {
    mode = arguments[1].get<std::string>();
    for (char& c : mode) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (mode != "CONSERVATIVE" && mode != "ECONOMICAL") {
      co_return absl::InvalidArgumentError("unknown estimatefee mode: " + mode.substr(0, 100));
    }
  }
  v1::EstimateFeeRequest request;
  request.set_target_blocks(static_cast<uint32_t>(BucketedTarget(*blocks)));
  request.set_mode(mode);
  auto fee = co_await Ask(context, context.gateway.upstream->blockchain->async(),
                          &BlockchainAsync::EstimateFee, request);
  if (!fee.ok()) co_return fee.status();
  if (!fee->has_fee_rate_sat_per_kvb()) co_return nlohmann::json(-1);
  co_return nlohmann::json(CoinsPerKvb(fee->fee_rate_sat_per_kvb()));
}

Reply RelayFee(CallContext& context, const Arguments&) {
  const v1::GetRelayFeeRequest request;
  auto fee = co_await Ask(context, context.gateway.upstream->blockchain->async(),
                          &BlockchainAsync::GetRelayFee, request);
  if (!fee.ok()) co_return fee.status();
  co_return nlohmann::json(CoinsPerKvb(fee->fee_rate_sat_per_kvb()));
}

Reply MempoolInfo(CallContext& context, const Arguments&) {
  const v1::GetMempoolFeesRequest request;
  auto fees = co_await Ask(context, context.gateway.upstream->blockchain->async(),
                           &BlockchainAsync::GetMempoolFees, request);
  if (!fees.ok()) co_return fees.status();
  co_return nlohmann::json{
      {"mempoolminfee", CoinsPerKvb(fees->mempool_min_fee_sat_per_kvb())},
      {"minrelaytxfee", CoinsPerKvb(fees->min_relay_tx_fee_sat_per_kvb())},
      {"incrementalrelayfee", CoinsPerKvb(fees->incremental_relay_fee_sat_per_kvb())}};
}

Reply FeeHistogram(CallContext& context, const Arguments&) {
  const v1::GetFeeHistogramRequest request;
  auto histogram = co_await Ask(context, context.gateway.upstream->mempool->async(),
                                &MempoolAsync::GetFeeHistogram, request);
  if (!histogram.ok()) co_return histogram.status();
  nlohmann::json bins = nlohmann::json::array();
  for (const v1::FeeHistogramBin& bin : histogram->bins()) {
    bins.push_back(nlohmann::json::array({bin.fee_rate(), bin.vsize()}));
  }
  co_return bins;
}

}  // namespace

void AddFeeMethods(MethodTable& table) {
  const ProtocolVersion any({1, 4});
  table.Add(
      {"blockchain.estimatefee", any, std::nullopt, {{"number", "mode"}, 1}, 0.1, EstimateFee});
  table.Add({"blockchain.relayfee", any, ProtocolVersion({1, 6}), {}, 1.0, RelayFee});
  table.Add({"mempool.get_info", ProtocolVersion({1, 6}), std::nullopt, {}, 1.0, MempoolInfo});
  table.Add({"mempool.get_fee_histogram", any, std::nullopt, {}, 1.0, FeeHistogram});
}

}  // namespace electrum::gateway
