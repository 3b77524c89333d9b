// Node JSON-RPC clients shared by gRPC handler threads. BitcoindClient keeps
// one connection and is not thread-safe, so each call borrows one; at most
// `max_clients` exist (callers beyond that wait), idle ones are reused.
#ifndef ELECTRUM_SERVICES_COMMON_NODE_CLIENT_POOL_H_
#define ELECTRUM_SERVICES_COMMON_NODE_CLIENT_POOL_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "services/node/bitcoind_client.h"

namespace electrum::services {

class NodeClientPool {
 public:
  NodeClientPool(node::BitcoindOptions options, size_t max_clients)
      : options_(std::move(options)), max_clients_(max_clients) {}

  // Runs `call` with a client of its own.
  template <typename Result>
  Result With(const std::function<Result(node::BitcoindClient&)>& call) {
    std::unique_ptr<node::BitcoindClient> client = Borrow();
    Result result = call(*client);
    Return(std::move(client));
    return result;
  }

 private:
  std::unique_ptr<node::BitcoindClient> Borrow();
  void Return(std::unique_ptr<node::BitcoindClient> client);

  const node::BitcoindOptions options_;
  const size_t max_clients_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<node::BitcoindClient>> idle_;
  size_t created_ = 0;
};

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_NODE_CLIENT_POOL_H_
