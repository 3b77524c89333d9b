// A synchronous JSON-RPC client for bitcoind-compatible nodes (Bitcoin Core,
// Dash Core, Namecoin Core, simnode) over HTTP with basic auth or a cookie
// file. Keeps one keep-alive connection and reconnects when it breaks. For
// worker threads: it blocks.
#ifndef ELECTRUM_SERVICES_NODE_BITCOIND_CLIENT_H_
#define ELECTRUM_SERVICES_NODE_BITCOIND_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/chain/bytes.h"
#include "common/chain/hash_types.h"
#include "nlohmann/json.hpp"

namespace electrum::node {

struct BitcoindOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8332;
  // Either user and password, or a cookie file ("user:password", re-read
  // on every connect because the node rewrites it on restart).
  std::string user;
  std::string password;
  std::string cookie_file;
  // Per call, connect included.
  std::chrono::milliseconds timeout{30000};
  // Largest response accepted (a big block in hex is ~8 MB).
  size_t max_response_bytes = 64 << 20;
};

// The node's own error text, verbatim, when `status` came from a JSON-RPC
// error reply (e.g. a broadcast's rejection reason).
std::optional<std::string> NodeRpcMessage(const absl::Status& status);
inline constexpr char kNodeMessagePayload[] = "electrum.v1/node-rpc-message";

class BitcoindClient {
 public:
  explicit BitcoindClient(BitcoindOptions options);
  ~BitcoindClient();

  // The result of `method`, or the node's error mapped once:
  //   -5 (not found)          -> NOT_FOUND
  //   -8 / -3 / -32602        -> INVALID_ARGUMENT
  //   -28 (warming up)        -> UNAVAILABLE
  //   -25 / -26 / -27         -> FAILED_PRECONDITION (rejected transaction)
  //   other                   -> INTERNAL
  //   unreachable / timeout   -> UNAVAILABLE, 401 -> PERMISSION_DENIED
  // The node's message is kept verbatim after "node: ".
  absl::StatusOr<nlohmann::json> Call(const std::string& method, const nlohmann::json& params);

  absl::StatusOr<int32_t> GetBlockCount();
  absl::StatusOr<chain::BlockHash> GetBlockHash(int32_t height);
  absl::StatusOr<chain::Bytes> GetBlock(const chain::BlockHash& hash);

 private:
  struct Connection;
  struct Reply {
    int http_status = 0;
    std::string body;
  };
  // The HTTP exchange, or UNAVAILABLE / PERMISSION_DENIED.
  absl::StatusOr<Reply> Post(const std::string& method, const nlohmann::json& params);
  // A reply's result, or its error mapped as Call documents.
  absl::StatusOr<nlohmann::json> ResultOf(const std::string& method, const Reply& reply) const;
  BitcoindOptions options_;
  std::unique_ptr<Connection> connection_;
  uint64_t next_id_ = 1;
};

}  // namespace electrum::node

#endif  // ELECTRUM_SERVICES_NODE_BITCOIND_CLIENT_H_
