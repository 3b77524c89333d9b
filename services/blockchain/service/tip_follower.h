// Keeps the HeaderCache at the index's tip: refreshes it whenever the
// indexer NOTIFYs electrum_block (and after every reconnect to the
// database, in case notifications were missed), then publishes the change to
// the TipFeed and calls `on_change`.
#ifndef ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_TIP_FOLLOWER_H_
#define ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_TIP_FOLLOWER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "services/blockchain/service/header_cache.h"
#include "services/blockchain/service/tip_feed.h"
#include "services/common/notification_listener.h"

namespace electrum::blockchain {

class TipFollower {
 public:
  TipFollower(const std::string& dsn, HeaderCache& headers, TipFeed& feed,
              std::function<void(const TipChange&)> on_change);
  ~TipFollower();

  void Start() { listener_.Start(); }
  void Stop() { listener_.Stop(); }

 private:
  void Refresh();
  // Retries a failed refresh and polls now and then in case a notification
  // was lost.
  void OnWake();

  const std::string dsn_;
  HeaderCache& headers_;
  TipFeed& feed_;
  const std::function<void(const TipChange&)> on_change_;
  // Used only from the listener's thread.
  std::unique_ptr<pqxx::connection_base> connection_;
  bool refresh_failed_ = false;
  std::chrono::steady_clock::time_point last_refresh_;
  services::NotificationListener listener_;
};

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_SERVICE_TIP_FOLLOWER_H_
