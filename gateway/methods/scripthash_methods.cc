// blockchain.scripthash.* (spec §3.15–§3.20), served by the address history
// service; subscriptions go through the gateway's shared Watch hub.
#include <charconv>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "gateway/methods/handler_support.h"
#include "gateway/protocol/argument_types.h"

namespace electrum::gateway {
namespace {

using Arguments = std::vector<nlohmann::json>;
using Reply = boost::asio::awaitable<absl::StatusOr<MethodResult>>;

// Writes the 32 bytes at `internal` as 64 display-order hex digits.
char* WriteDisplayHex(char* out, const char* internal) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int i = 31; i >= 0; --i) {
    const auto byte = static_cast<uint8_t>(internal[i]);
    *out++ = kDigits[byte >> 4];
    *out++ = kDigits[byte & 15];
  }
  return out;
}

char* WriteText(char* out, std::string_view text) {
  std::memcpy(out, text.data(), text.size());
  return out + text.size();
}

// [{"tx_hash":…,"height":…[,"fee":…]},…] written straight into one buffer:
// histories can have tens of thousands of entries.
std::string HistoryJson(const v1::GetHistoryResponse& history) {
  // The longest entry: 64 hex digits, an int32 height, a uint64 fee.
  constexpr size_t kMaxEntry = 64 + 11 + 20 + 40;
  const int entries = history.heights_size();
  std::string out(2 + static_cast<size_t>(entries) * kMaxEntry, '\0');
  char* cursor = out.data();
  char* const end = out.data() + out.size();
  *cursor++ = '[';
  for (int i = 0; i < entries; ++i) {
    if (i > 0) *cursor++ = ',';
    cursor = WriteText(cursor, R"({"tx_hash":")");
    cursor = WriteDisplayHex(cursor, history.txids().data() + static_cast<size_t>(i) * 32);
    cursor = WriteText(cursor, R"(","height":)");
    const int32_t height = history.heights(i);
    cursor = std::to_chars(cursor, end, height).ptr;
    if (height <= 0 && i < history.fees_size()) {
      cursor = WriteText(cursor, R"(,"fee":)");
      cursor = std::to_chars(cursor, end, history.fees(i)).ptr;
    }
    *cursor++ = '}';
  }
  *cursor++ = ']';
  out.resize(cursor - out.data());
  return out;
}

using AddressReply = boost::asio::awaitable<absl::StatusOr<CachedReply>>;

AddressReply HistoryReply(CallContext& context, const chain::ScriptHash& scripthash) {
  absl::StatusOr<v1::GetHistoryResponse> history = co_await AskHistory(context, scripthash);
  if (!history.ok()) co_return history.status();
  co_return CachedReply{HistoryJson(*history), 0.1 + 0.001 * history->heights_size()};
}

Reply GetMempool(CallContext& context, const Arguments& arguments) {
  absl::StatusOr<chain::ScriptHash> scripthash = ScriptHashArgument(arguments[0]);
  if (!scripthash.ok()) co_return scripthash.status();
  v1::GetMempoolHistoryRequest request;
  request.set_script_hash(InternalBytes(*scripthash));
  auto mempool = co_await Ask(context, context.gateway.upstream->history->async(),
                              &HistoryAsync::GetMempoolHistory, request);
  if (!mempool.ok()) co_return mempool.status();
  nlohmann::json entries = nlohmann::json::array();
  for (const v1::HistoryEntry& entry : mempool->entries()) {
    entries.push_back(
        {{"tx_hash", DisplayHex(entry.txid())}, {"height", entry.height()}, {"fee", entry.fee()}});
  }
  context.extra_cost += static_cast<double>(entries.size()) / 50;
  co_return entries;
}

AddressReply BalanceReply(CallContext& context, const chain::ScriptHash& scripthash) {
  v1::GetBalanceRequest request;
  request.set_script_hash(InternalBytes(scripthash));
  absl::StatusOr<v1::GetBalanceResponse> balance =
      co_await AskAddress(context, &AddressBatches::balances, &HistoryAsync::GetBalance, request);
  if (!balance.ok()) co_return balance.status();
  const nlohmann::json json{{"confirmed", balance->confirmed()},
                            {"unconfirmed", balance->unconfirmed()}};
  co_return CachedReply{json.dump(), 0};
}

AddressReply UnspentReply(CallContext& context, const chain::ScriptHash& scripthash) {
  v1::ListUnspentRequest request;
  request.set_script_hash(InternalBytes(scripthash));
  absl::StatusOr<v1::ListUnspentResponse> unspent =
      co_await AskAddress(context, &AddressBatches::unspents, &HistoryAsync::ListUnspent, request);
  if (!unspent.ok()) co_return unspent.status();
  nlohmann::json outputs = nlohmann::json::array();
  for (const v1::UnspentOutput& output : unspent->outputs()) {
    outputs.push_back({{"tx_hash", DisplayHex(output.txid())},
                       {"tx_pos", output.vout()},
                       {"height", output.height()},
                       {"value", output.value()}});
  }
  co_return CachedReply{outputs.dump(), static_cast<double>(outputs.size()) / 50};
}

void CountCache(const CallContext& context, Counter GatewayMetrics::*counter) {
  if (context.gateway.metrics != nullptr) (context.gateway.metrics->*counter).Add();
}

// One address query through the gateway's reply cache (when on): a kept
// reply, or the service's, kept if nothing changed while it was read.
Reply ServeAddressQuery(CallContext& context, const Arguments& arguments, AddressQuery query,
                        AddressReply (*read)(CallContext&, const chain::ScriptHash&)) {
  absl::StatusOr<chain::ScriptHash> scripthash = ScriptHashArgument(arguments[0]);
  if (!scripthash.ok()) co_return scripthash.status();
  AddressReplyCache* cache = context.gateway.address_cache;
  std::optional<AddressReplyCache::Ticket> ticket;
  if (cache != nullptr) {
    if (std::optional<CachedReply> kept = cache->Find(*scripthash, query)) {
      CountCache(context, &GatewayMetrics::address_cache_hits);
      context.extra_cost += kept->extra_cost;
      co_return EncodedJson{std::move(kept->json)};
    }
    CountCache(context, &GatewayMetrics::address_cache_misses);
    ticket = cache->Prepare(*scripthash);
  }
  absl::StatusOr<CachedReply> reply = co_await read(context, *scripthash);
  if (!reply.ok()) co_return reply.status();
  context.extra_cost += reply->extra_cost;
  if (ticket && cache->Store(*ticket, query, *reply)) {
    CountCache(context, &GatewayMetrics::address_cache_stored);
  }
  co_return EncodedJson{std::move(reply->json)};
}

Reply GetBalance(CallContext& context, const Arguments& arguments) {
  return ServeAddressQuery(context, arguments, AddressQuery::kBalance, BalanceReply);
}

Reply ListUnspent(CallContext& context, const Arguments& arguments) {
  return ServeAddressQuery(context, arguments, AddressQuery::kUnspent, UnspentReply);
}

Reply GetHistory(CallContext& context, const Arguments& arguments) {
  return ServeAddressQuery(context, arguments, AddressQuery::kHistory, HistoryReply);
}

boost::asio::awaitable<absl::StatusOr<StatusBytes>> CurrentStatus(
    CallContext& context, const chain::ScriptHash& scripthash) {
  v1::GetStatusRequest request;
  request.set_script_hash(InternalBytes(scripthash));
  auto status =
      co_await AskAddress(context, &AddressBatches::statuses, &HistoryAsync::GetStatus, request);
  if (!status.ok()) co_return status.status();
  co_return status->status().status();
}

Reply Subscribe(CallContext& context, const Arguments& arguments) {
  absl::StatusOr<chain::ScriptHash> scripthash = ScriptHashArgument(arguments[0]);
  if (!scripthash.ok()) co_return scripthash.status();
  Session& session = context.session;
  auto known = session.BeginScriptHashSubscription(*scripthash, arguments[0].get<std::string>());
  if (!known.ok()) co_return known.status();
  absl::StatusOr<StatusBytes> status;
  if (*known) {
    status = **known;
  } else {
    // (Not in a conditional expression: GCC 12 mishandles co_await there.)
    status = co_await CurrentStatus(context, *scripthash);
  }
  session.FinishScriptHashSubscription(*scripthash, status);
  if (!status.ok()) co_return status.status();
  co_return StatusJson(*status);
}

Reply Unsubscribe(CallContext& context, const Arguments& arguments) {
  absl::StatusOr<chain::ScriptHash> scripthash = ScriptHashArgument(arguments[0]);
  if (!scripthash.ok()) co_return scripthash.status();
  co_return nlohmann::json(context.session.UnsubscribeScriptHash(*scripthash));
}

}  // namespace

void AddScriptHashMethods(MethodTable& table) {
  const ProtocolVersion any({1, 4});
  const ParameterList scripthash{{"scripthash"}, 1};
  table.Add({"blockchain.scripthash.get_balance", any, std::nullopt, scripthash, 1.0, GetBalance});
  table.Add({"blockchain.scripthash.get_history", any, std::nullopt, scripthash, 0.1, GetHistory});
  table.Add({"blockchain.scripthash.get_mempool", any, std::nullopt, scripthash, 0.25, GetMempool});
  table.Add({"blockchain.scripthash.listunspent", any, std::nullopt, scripthash, 1.0, ListUnspent});
  table.Add({"blockchain.scripthash.subscribe", any, std::nullopt, scripthash, 1.0, Subscribe});
  table.Add({"blockchain.scripthash.unsubscribe", ProtocolVersion({1, 4, 2}), std::nullopt,
             scripthash, 0.1, Unsubscribe});
}

}  // namespace electrum::gateway
