// Small pieces for callback (reactor) gRPC handlers.
#ifndef ELECTRUM_SERVICES_COMMON_UNARY_REACTOR_H_
#define ELECTRUM_SERVICES_COMMON_UNARY_REACTOR_H_

#include "absl/status/status.h"
#include "common/grpc/status_conversion.h"
#include "grpcpp/grpcpp.h"

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

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_UNARY_REACTOR_H_
