// simnode's HTTP front: Bitcoin Core's RPC transport (HTTP/1.1 POST with
// basic auth, keep-alive) on a loopback port, feeding the JSON-RPC envelope.
// Runs on the caller's io_context; all handling happens on that one thread.
#ifndef ELECTRUM_TOOLS_SIMNODE_HTTP_SERVER_H_
#define ELECTRUM_TOOLS_SIMNODE_HTTP_SERVER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "boost/asio/io_context.hpp"
#include "tools/simnode/rpc_dispatcher.h"

namespace electrum::simnode {

struct HttpServerOptions {
  std::string bind_address = "127.0.0.1";
  // 0 picks a free port.
  uint16_t port = 0;
  std::string user;
  std::string password;
  // Largest request body accepted (a big batch or transaction).
  size_t max_body_bytes = 64 << 20;
  // Idle keep-alive connections are closed after this long.
  int idle_timeout_seconds = 300;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpServerOptions options, RpcDispatcher& dispatcher);
  ~HttpServer();

  // Binds and starts accepting; returns the port.
  absl::StatusOr<uint16_t> Start();
  void Stop();
  // While set, every call is answered with -28 (warming up).
  void SetWarmingUp(bool warming_up) { warming_up_ = warming_up; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> warming_up_{false};
};

// "Basic <base64(user:password)>", the Authorization header value.
std::string BasicAuthorization(const std::string& user, const std::string& password);

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_HTTP_SERVER_H_
