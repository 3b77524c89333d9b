// Turns the indexer's and the mempool mirror's NOTIFYs into ChangeFeed
// entries: after a block commit, the script hashes of the new history rows;
// after a mempool batch, those recorded in mempool_changes; after a reorg or
// a reconnect (notifications may have been missed), "everything".
#ifndef ELECTRUM_SERVICES_HISTORY_CHANGE_TRACKER_H_
#define ELECTRUM_SERVICES_HISTORY_CHANGE_TRACKER_H_

#include <chrono>
#include <memory>
#include <string>

#include "common/chain/hash_types.h"
#include "services/common/notification_listener.h"
#include "services/history/change_feed.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::history {

class ChangeTracker {
 public:
  ChangeTracker(const std::string& dsn, ChangeFeed& feed);
  ~ChangeTracker();

  void Start() { listener_.Start(); }
  void Stop() { listener_.Stop(); }

 private:
  // `everything`: publish "everything" in any case (after a reconnect).
  void Detect(bool everything);
  void OnWake();

  const std::string dsn_;
  ChangeFeed& feed_;
  std::unique_ptr<pqxx::connection_base> connection_;
  // What has been published so far.
  bool known_ = false;
  int32_t tip_height_ = -1;
  chain::BlockHash tip_hash_;
  int64_t next_tx_num_ = 0;
  int64_t mempool_sequence_ = 0;
  bool bulk_loading_ = false;
  bool detect_failed_ = false;
  std::chrono::steady_clock::time_point last_detect_;
  services::NotificationListener listener_;
};

}  // namespace electrum::history

#endif  // ELECTRUM_SERVICES_HISTORY_CHANGE_TRACKER_H_
