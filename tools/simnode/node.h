// simnode's node: the chain, the mempool, persistence and notifications,
// behind the operations the RPC methods need. Single-threaded.
#ifndef ELECTRUM_TOOLS_SIMNODE_NODE_H_
#define ELECTRUM_TOOLS_SIMNODE_NODE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/simnode/block_store.h"
#include "tools/simnode/chain.h"
#include "tools/simnode/mempool.h"
#include "tools/simnode/notifier.h"
#include "tools/simnode/sim_coin.h"

namespace electrum::simnode {

struct NodeOptions {
  // The chain to simulate.
  const SimCoin* coin = &BitcoinSimCoin();
  // Where the chain log lives; empty keeps everything in memory.
  std::string data_dir;
  // Fixed clock for reproducible chains (0: the real clock).
  int64_t mock_time = 0;
  // With a data directory: keep the contents of only this many blocks below
  // the tip in memory, reading older ones back from the chain log (0: all).
  // Reorgs deeper than it are refused.
  int resident_blocks = 0;
};

class Node {
 public:
  // Opens the data directory and replays the chain stored there. `notifier`
  // may be null and must outlive the node.
  static absl::StatusOr<std::unique_ptr<Node>> Open(const NodeOptions& options, Notifier* notifier);

  // Mines `count` blocks paying to `coinbase_script`, each taking the whole
  // mempool. Returns their hashes.
  absl::StatusOr<std::vector<BlockHash>> Generate(int count, const Bytes& coinbase_script);
  // Mines one block with exactly these transactions (bypassing the mempool),
  // e.g. for the workload generator.
  absl::StatusOr<BlockHash> MineBlockWith(std::vector<Bytes> transactions, int64_t fees,
                                          const Bytes& coinbase_script);

  std::variant<TxId, RejectReason> SubmitTransaction(Bytes raw, int64_t max_fee_rate_per_kvb);

  absl::Status InvalidateBlock(const BlockHash& hash);
  absl::Status ReconsiderBlock(const BlockHash& hash);

  const Chain& chain() const { return *chain_; }
  const Mempool& mempool() const { return mempool_; }
  const SimCoin& coin() const { return *options_.coin; }
  int64_t Now() const;
  // Seconds since Open, on the real clock even with a mock time.
  int64_t UptimeSeconds() const;

 private:
  Node() = default;
  void Publish(const ChainChange& change);
  // Where the record went ({} without a data directory).
  absl::StatusOr<BlockStore::Location> Persist(StoreRecord type, chain::ByteSpan payload);

  NodeOptions options_;
  Notifier* notifier_ = nullptr;
  std::unique_ptr<Chain> chain_;
  Mempool mempool_;
  std::unique_ptr<BlockStore> store_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_NODE_H_
