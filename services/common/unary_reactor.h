// Small pieces for callback (reactor) gRPC handlers.
#ifndef ELECTRUM_SERVICES_COMMON_UNARY_REACTOR_H_
#define ELECTRUM_SERVICES_COMMON_UNARY_REACTOR_H_

#include <functional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "common/grpc/status_conversion.h"
#include "grpcpp/grpcpp.h"
#include "services/common/blocking_pool.h"

namespace electrum::services {

// The handler's reactor, finished with `status` (an answer known at once:
// bad input, a cache hit).
inline grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context,
                                           const grpc::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

inline grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context,
                                           const absl::Status& status) {
  return FinishNow(context, ToGrpcStatus(status));
}

// Runs `body` (returning grpc::Status; it blocks: the database, the node)
// on `pool` and finishes the call with what it returns. The request and
// response stay valid until the call is finished. RESOURCE_EXHAUSTED at
// once when the pool's queue is full.
template <typename Body>
grpc::ServerUnaryReactor* FinishOnPool(BlockingPool& pool, grpc::CallbackServerContext* context,
                                       Body body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::function<void()> task = [reactor, body = std::move(body)]() mutable {
    reactor->Finish(body());
  };
  if (!pool.TryPost(task)) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "server busy: " + std::to_string(pool.max_queued()) +
                                     " calls already wait for a thread; ask again later"));
  }
  return reactor;
}

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_UNARY_REACTOR_H_
