// Header methods (spec §3.8–§3.10), answered from the gateway's header copy.
#include "absl/strings/str_cat.h"
#include "common/crypto/hex.h"
#include "common/text/thousands.h"
#include "gateway/methods/handler_support.h"

namespace electrum::gateway {
namespace {

using Arguments = std::vector<nlohmann::json>;
using Reply = boost::asio::awaitable<absl::StatusOr<MethodResult>>;

// Most headers one blockchain.block.headers call returns (MAX_CHUNK_SIZE).
constexpr int64_t kMaxHeaders = 2016;

// Under a checkpoint, AuxPoW headers are cut to the base header from
// protocol 1.4.1 on (spec §6.2): the proof covers only those bytes.
std::string HeaderHex(const CallContext& context, const StoredHeader& header, bool checkpointed) {
  const size_t cut = context.gateway.coin ? context.gateway.coin->truncated_header_size : 80;
  if (!checkpointed || header.raw.size() <= cut ||
      context.session.protocol() < ProtocolVersion({1, 4, 1})) {
    return header.Hex();
  }
  return ToHex(chain::ByteSpan(reinterpret_cast<const uint8_t*>(header.raw.data()), cut));
}

void AddProof(const chain::MerkleBranch& proof, nlohmann::json& result) {
  nlohmann::json branch = nlohmann::json::array();
  for (const auto& sibling : proof.siblings) branch.push_back(sibling.ToDisplayHex());
  result["branch"] = std::move(branch);
  result["root"] = proof.root.ToDisplayHex();
}

Reply BlockHeader(CallContext& context, const Arguments& arguments) {
  absl::StatusOr<int64_t> height = HeightArgument(arguments[0]);
  if (!height.ok()) co_return height.status();
  absl::StatusOr<int64_t> checkpoint =
      arguments[1].is_null() ? absl::StatusOr<int64_t>(0) : HeightArgument(arguments[1]);
  if (!checkpoint.ok()) co_return checkpoint.status();
  const HeaderStore& headers = *context.gateway.headers;
  const int64_t tip = headers.tip_height();
  if (*height > tip) {
    co_return absl::InvalidArgumentError(
        absl::StrCat("height ", WithThousands(*height), " out of range"));
  }
  if (*checkpoint == 0) {
    std::optional<std::string> hex = headers.HexAt(static_cast<int32_t>(*height));
    if (!hex) co_return absl::InvalidArgumentError("height out of range");
    // Hex needs no escaping: written as JSON text directly (the hot path).
    co_return EncodedJson{absl::StrCat("\"", *hex, "\"")};
  }
  absl::StatusOr<nlohmann::json> proved = HeaderWithProof(context, *height, *checkpoint);
  if (!proved.ok()) co_return proved.status();
  co_return *proved;
}

Reply BlockHeaders(CallContext& context, const Arguments& arguments) {
  absl::StatusOr<int64_t> start = HeightArgument(arguments[0]);
  if (!start.ok()) co_return start.status();
  absl::StatusOr<int64_t> count = HeightArgument(arguments[1]);
  if (!count.ok()) co_return count.status();
  absl::StatusOr<int64_t> checkpoint =
      arguments[2].is_null() ? absl::StatusOr<int64_t>(0) : HeightArgument(arguments[2]);
  if (!checkpoint.ok()) co_return checkpoint.status();
  const HeaderStore& headers = *context.gateway.headers;
  const int64_t tip = headers.tip_height();
  const int64_t wanted = std::min(*count, kMaxHeaders);
  const int64_t available = std::max<int64_t>(0, std::min(wanted, tip + 1 - *start));
  context.extra_cost += static_cast<double>(available) / 50;
  std::optional<chain::MerkleBranch> proof;
  if (available > 0 && *checkpoint != 0) {
    const int64_t last = *start + available - 1;
    if (!(last <= *checkpoint && *checkpoint <= tip)) {
      co_return absl::InvalidArgumentError(CheckpointRangeError(last, *checkpoint, tip));
    }
    auto branch =
        headers.CheckpointProof(static_cast<int32_t>(last), static_cast<int32_t>(*checkpoint));
    if (!branch.ok()) {
      co_return absl::InvalidArgumentError(CheckpointRangeError(last, *checkpoint, tip));
    }
    proof = std::move(*branch);
    context.extra_cost += 1.0;
  }
  std::vector<StoredHeader> range =
      available > 0 ? headers.Range(static_cast<int32_t>(*start), static_cast<int32_t>(available))
                    : std::vector<StoredHeader>();
  nlohmann::json result = {{"count", range.size()}, {"max", kMaxHeaders}};
  const bool checkpointed = proof.has_value();
  if (context.session.protocol() < ProtocolVersion({1, 6})) {
    std::string hex;
    for (const StoredHeader& header : range) hex += HeaderHex(context, header, checkpointed);
    result["hex"] = std::move(hex);
  } else {
    nlohmann::json list = nlohmann::json::array();
    for (const StoredHeader& header : range) {
      list.push_back(HeaderHex(context, header, checkpointed));
    }
    result["headers"] = std::move(list);
  }
  if (proof) AddProof(*proof, result);
  co_return result;
}

Reply HeadersSubscribe(CallContext& context, const Arguments&) {
  std::optional<StoredHeader> tip = context.gateway.headers->Tip();
  if (!tip) co_return absl::UnavailableError("no headers indexed yet");
  context.session.SubscribeHeaders(tip->height);
  co_return TipJson(*tip);
}

}  // namespace

absl::StatusOr<nlohmann::json> HeaderWithProof(CallContext& context, int64_t height,
                                               int64_t checkpoint) {
  const HeaderStore& headers = *context.gateway.headers;
  const int64_t tip = headers.tip_height();
  if (!(height <= checkpoint && checkpoint <= tip)) {
    return absl::InvalidArgumentError(CheckpointRangeError(height, checkpoint, tip));
  }
  context.extra_cost += 1.0;
  auto proof =
      headers.CheckpointProof(static_cast<int32_t>(height), static_cast<int32_t>(checkpoint));
  std::optional<StoredHeader> header = headers.At(static_cast<int32_t>(height));
  if (!proof.ok() || !header) {
    return absl::InvalidArgumentError(CheckpointRangeError(height, checkpoint, tip));
  }
  nlohmann::json result = {{"header", HeaderHex(context, *header, true)}};
  AddProof(*proof, result);
  return result;
}

void AddHeaderMethods(MethodTable& table) {
  const ProtocolVersion any({1, 4});
  table.Add({"blockchain.block.header",
             any,
             std::nullopt,
             {{"height", "cp_height"}, 1},
             0.25,
             BlockHeader});
  table.Add({"blockchain.block.headers",
             any,
             std::nullopt,
             {{"start_height", "count", "cp_height"}, 2},
             0,
             BlockHeaders});
  table.Add({"blockchain.headers.subscribe", any, std::nullopt, {}, 0.25, HeadersSubscribe});
}

}  // namespace electrum::gateway
