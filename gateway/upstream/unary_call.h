// Turns a gRPC callback-API unary call into an Asio awaitable: the caller's
// coroutine is suspended (its thread stays free) and resumed on its own
// executor when gRPC completes the call on one of its threads.
#ifndef ELECTRUM_GATEWAY_UPSTREAM_UNARY_CALL_H_
#define ELECTRUM_GATEWAY_UPSTREAM_UNARY_CALL_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "boost/asio/associated_executor.hpp"
#include "boost/asio/async_result.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "common/grpc/status_conversion.h"

namespace electrum::gateway {

// `start(context, request, response, on_done)` begins the call, e.g.
// `[stub](auto... a) { stub->async()->GetTip(a...); }`.
template <typename Response, typename Request, typename Start>
// Arguments are references to the caller's named values (alive while it
// awaits): GCC 12 mishandles by-value temporaries across co_await.
boost::asio::awaitable<absl::StatusOr<Response>> UnaryCall(const Start& start,
                                                           const Request& request,
                                                           std::chrono::milliseconds timeout) {
  struct Call {
    grpc::ClientContext context;
    Request request;
    Response response;
  };
  auto call = std::make_shared<Call>();
  call->request = request;
  call->context.set_deadline(std::chrono::system_clock::now() + timeout);
  // A named initiation, not a temporary: GCC 12 destroys temporaries of a
  // co_await expression twice, which here would drop `call` too early.
  auto initiation = [&start, call](auto handler) {
    // std::function needs a copyable callable; the handler is move-only.
    using Handler = decltype(handler);
    auto shared = std::make_shared<Handler>(std::move(handler));
    start(&call->context, &call->request, &call->response, [shared, call](grpc::Status done) {
      auto executor = boost::asio::get_associated_executor(*shared);
      boost::asio::post(executor,
                        [shared, done = std::move(done)]() mutable { (*shared)(std::move(done)); });
    });
  };
  auto completion = boost::asio::use_awaitable;
  grpc::Status status =
      co_await boost::asio::async_initiate<decltype(completion), void(grpc::Status)>(initiation,
                                                                                     completion);
  absl::StatusOr<Response> result;
  if (status.ok()) {
    result = std::move(call->response);
  } else {
    result = FromGrpcStatus(status);
  }
  co_return result;
}

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_UPSTREAM_UNARY_CALL_H_
