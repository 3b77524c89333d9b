#include "services/common/node_client_pool.h"

namespace electrum::services {

std::unique_ptr<node::BitcoindClient> NodeClientPool::Borrow() {
  std::unique_lock<std::mutex> lock(mutex_);
  returned_.wait(lock, [&] { return !idle_.empty() || created_ < max_clients_; });
  if (!idle_.empty()) {
    std::unique_ptr<node::BitcoindClient> client = std::move(idle_.back());
    idle_.pop_back();
    return client;
  }
  ++created_;
  return std::make_unique<node::BitcoindClient>(options_);
}

void NodeClientPool::Return(std::unique_ptr<node::BitcoindClient> client) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(client));
  }
  returned_.notify_one();
}

}  // namespace electrum::services
