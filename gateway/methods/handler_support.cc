#include "gateway/methods/handler_support.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/crypto/hex.h"
#include "common/text/thousands.h"
#include "gateway/protocol/argument_types.h"

namespace electrum::gateway {

absl::StatusOr<int64_t> HeightArgument(const nlohmann::json& value) {
  absl::StatusOr<uint64_t> height = NonNegativeIntegerArgument(value);
  if (!height.ok()) return height.status();
  return static_cast<int64_t>(std::min<uint64_t>(*height, uint64_t{1} << 40));
}

std::string DisplayHex(std::string_view internal) {
  std::string reversed(internal.rbegin(), internal.rend());
  return ToHex(chain::ByteSpan(reinterpret_cast<const uint8_t*>(reversed.data()), reversed.size()));
}

std::string CheckpointRangeError(int64_t height, int64_t checkpoint, int64_t tip) {
  return absl::StrCat("require header height ", WithThousands(height), " <= cp_height ",
                      WithThousands(checkpoint), " <= chain height ", WithThousands(tip));
}

boost::asio::awaitable<absl::StatusOr<v1::GetHistoryResponse>> AskHistory(
    const CallContext& context, const chain::ScriptHash& scripthash) {
  v1::GetHistoryRequest request;
  request.set_script_hash(InternalBytes(scripthash));
  // ElectrumX refuses histories of limit entries or more (spec §1.6).
  request.set_max_entries(static_cast<uint32_t>(context.gateway.limits.max_history_entries() - 1));
  absl::StatusOr<v1::GetHistoryResponse> history =
      co_await AskAddress(context, &AddressBatches::histories, &HistoryAsync::GetHistory, request);
  if (history.ok() &&
      history->txids().size() != static_cast<size_t>(history->heights_size()) * 32) {
    history = absl::InternalError("history service sent mismatched txids and heights");
  }
  co_return history;
}

}  // namespace electrum::gateway
