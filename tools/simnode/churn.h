// Mempool churn for load tests: on the node's io_context thread, a batch of
// generated transactions every tick, a block every few seconds, and now and
// then a short reorg.
#ifndef ELECTRUM_TOOLS_SIMNODE_CHURN_H_
#define ELECTRUM_TOOLS_SIMNODE_CHURN_H_

#include <cstdint>

#include "boost/asio/io_context.hpp"
#include "boost/asio/steady_timer.hpp"
#include "tools/simnode/node.h"
#include "tools/simnode/workload.h"

namespace electrum::simnode {

struct ChurnOptions {
  int transactions_per_second = 100;
  // 0: never mine.
  int block_interval_seconds = 10;
  // Every this many churn blocks, replace the last 1-3 blocks (0: never).
  int reorg_every_blocks = 0;
  uint64_t seed = 1;
};

class Churn {
 public:
  Churn(boost::asio::io_context& io, Node& node, const ChurnOptions& options);

 private:
  void Tick();
  void ScheduleBlock();
  // Invalidates the last 1-3 blocks and mines one more than that on their
  // parent: their transactions return to the mempool and are mined again.
  absl::Status Reorganize();

  Node& node_;
  ChurnOptions options_;
  WorkloadGenerator generator_;
  int per_tick_;
  uint64_t blocks_ = 0;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer block_timer_;
};

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_CHURN_H_
