// Small pieces every handler file uses: upstream calls as awaitables under
// the request's deadline, argument conversions and hash rendering.
#ifndef ELECTRUM_GATEWAY_METHODS_HANDLER_SUPPORT_H_
#define ELECTRUM_GATEWAY_METHODS_HANDLER_SUPPORT_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/chain/hash_types.h"
#include "electrum/v1/blockchain.grpc.pb.h"
#include "electrum/v1/history.grpc.pb.h"
#include "electrum/v1/mempool.grpc.pb.h"
#include "gateway/methods/method_table.h"
#include "gateway/session/gateway_context.h"
#include "gateway/session/session.h"
#include "gateway/upstream/address_batches.h"
#include "gateway/upstream/call_coalescer.h"
#include "gateway/upstream/unary_call.h"

namespace electrum::gateway {

using BlockchainAsync = v1::BlockchainService::StubInterface::async_interface;
using MempoolAsync = v1::MempoolService::StubInterface::async_interface;
using HistoryAsync = v1::AddressHistoryService::StubInterface::async_interface;

// Records an upstream answer's wait (started at `began`) in the request's
// latency histogram, when it has one.
inline void ObserveUpstreamSince(const CallContext& context,
                                 std::chrono::steady_clock::time_point began) {
  if (context.upstream_latency == nullptr) return;
  context.upstream_latency->Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
}

// One unary upstream call, bounded by what is left of the request's time.
// Pass a named request (see UnaryCall).
template <typename Async, typename Request, typename Response>
boost::asio::awaitable<absl::StatusOr<Response>> Ask(
    const CallContext& context, Async* async,
    void (Async::*method)(grpc::ClientContext*, const Request*, Response*,
                          std::function<void(grpc::Status)>),
    const Request& request) {
  auto start = [async, method](grpc::ClientContext* client, const Request* in, Response* out,
                               std::function<void(grpc::Status)> done) {
    (async->*method)(client, in, out, std::move(done));
  };
  // Bound to a local first: GCC 12 destroys a co_await temporary twice
  // in `co_return co_await …`.
  const auto began = std::chrono::steady_clock::now();
  absl::StatusOr<Response> response =
      co_await UnaryCall<Response>(start, request, context.remaining());
  ObserveUpstreamSince(context, began);
  co_return response;
}

// An address query (`request.script_hash()`) to the history service: through
// the gateway's coalescer when it has one (a batched call shared with
// concurrent requests), else as a call of its own.
template <typename Request, typename Response>
boost::asio::awaitable<absl::StatusOr<Response>> AskAddress(
    const CallContext& context, CallCoalescer<Response>& (AddressBatches::*batched)(),
    void (HistoryAsync::*single)(grpc::ClientContext*, const Request*, Response*,
                                 std::function<void(grpc::Status)>),
    const Request& request) {
  AddressBatches* batches = context.gateway.address_batches;
  if (batches == nullptr) {
    absl::StatusOr<Response> response =
        co_await Ask(context, context.gateway.upstream->history->async(), single, request);
    co_return response;
  }
  const auto began = std::chrono::steady_clock::now();
  absl::StatusOr<Response> response =
      co_await (batches->*batched)().Get(request.script_hash(), context.remaining());
  ObserveUpstreamSince(context, began);
  co_return response;
}

// A script hash's history (confirmed, then mempool), bounded as
// get_history is; INTERNAL when the service's arrays disagree.
boost::asio::awaitable<absl::StatusOr<v1::GetHistoryResponse>> AskHistory(
    const CallContext& context, const chain::ScriptHash& scripthash);

// A height argument (non-negative integer text of ElectrumX); heights past
// int32 are simply out of every range.
absl::StatusOr<int64_t> HeightArgument(const nlohmann::json& value);

// Display-order hex of 32 internal-order bytes.
std::string DisplayHex(std::string_view internal);
template <typename Tag>
std::string InternalBytes(const chain::Hash256<Tag>& hash) {
  return std::string(reinterpret_cast<const char*>(hash.internal().data()), hash.kSize);
}

// ElectrumX's "require header height …" text (spec §3.8).
std::string CheckpointRangeError(int64_t height, int64_t checkpoint, int64_t tip);

// blockchain.block.header's answer under a checkpoint: {"header", "branch",
// "root"} (AuxPoW headers cut to the base header, spec §6.2).
absl::StatusOr<nlohmann::json> HeaderWithProof(CallContext& context, int64_t height,
                                               int64_t checkpoint);

void AddServerMethods(MethodTable& table);
void AddHeaderMethods(MethodTable& table);
void AddScriptHashMethods(MethodTable& table);
void AddTransactionMethods(MethodTable& table);
void AddFeeMethods(MethodTable& table);
void AddNameMethods(MethodTable& table);

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_METHODS_HANDLER_SUPPORT_H_
