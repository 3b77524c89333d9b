#include "gateway/methods/masternode_ranking.h"

#include <algorithm>
#include <numeric>

namespace electrum::gateway {

std::vector<int64_t> PaymentPositions(const std::vector<MasternodeQueueInput>& masternodes,
                                      int64_t now) {
  std::vector<int64_t> waited(masternodes.size(), 0);
  std::vector<size_t> queue;
  for (size_t i = 0; i < masternodes.size(); ++i) {
    const MasternodeQueueInput& mn = masternodes[i];
    if (mn.status != "ENABLED") continue;
    waited[i] = mn.last_paid_time == 0 ? mn.active_seconds
                                       : std::min(now - mn.last_paid_time, mn.active_seconds);
    queue.push_back(i);
  }
  // Stable, so equal waits keep the node's order.
  std::stable_sort(queue.begin(), queue.end(),
                   [&](size_t a, size_t b) { return waited[a] > waited[b]; });
  std::vector<int64_t> positions(masternodes.size(), -1);
  for (size_t rank = 0; rank < queue.size(); ++rank) {
    positions[queue[rank]] = static_cast<int64_t>(rank) + 1;
  }
  return positions;
}

}  // namespace electrum::gateway
