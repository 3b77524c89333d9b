// Where each masternode stands in Dash's payment queue, as DashElectrumX
// reports it in masternode.list (spec §6.1): ENABLED masternodes ranked by
// seconds since they were last paid (capped at their active seconds; active
// seconds when never paid), longest wait first.
#ifndef ELECTRUM_GATEWAY_METHODS_MASTERNODE_RANKING_H_
#define ELECTRUM_GATEWAY_METHODS_MASTERNODE_RANKING_H_

#include <cstdint>
#include <string>
#include <vector>

namespace electrum::gateway {

struct MasternodeQueueInput {
  std::string payee;
  std::string status;
  int64_t active_seconds = 0;
  int64_t last_paid_time = 0;  // 0: never paid
};

// 1-based queue position of every input (in input order); -1 for those not
// ENABLED. `now` is in Unix seconds.
std::vector<int64_t> PaymentPositions(const std::vector<MasternodeQueueInput>& masternodes,
                                      int64_t now);

// Whether a position counts as "in selection": below a tenth of the list.
inline bool InSelection(int64_t position, size_t masternode_count) {
  return position < static_cast<int64_t>(masternode_count / 10);
}

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_METHODS_MASTERNODE_RANKING_H_
