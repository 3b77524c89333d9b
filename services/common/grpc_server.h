// Starts a service's gRPC server the same way everywhere: the given services
// plus gRPC health checking (reported SERVING once started) and server
// reflection, on one address.
#ifndef ELECTRUM_SERVICES_COMMON_GRPC_SERVER_H_
#define ELECTRUM_SERVICES_COMMON_GRPC_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"

namespace electrum::services {

struct GrpcServerOptions {
  // "host:port"; port 0 picks a free one (see StartedServer::port).
  std::string address = "127.0.0.1:0";
  // Largest request or response message.
  int max_message_bytes = 64 << 20;
  // Completion queues of the synchronous server (0: gRPC's default, one
  // per core).
  int sync_server_queues = 0;
};

struct StartedServer {
  std::unique_ptr<grpc::Server> server;
  int port = 0;
};

// UNAVAILABLE when the address cannot be bound.
absl::StatusOr<StartedServer> StartGrpcServer(const GrpcServerOptions& options,
                                              const std::vector<grpc::Service*>& services);

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_GRPC_SERVER_H_
