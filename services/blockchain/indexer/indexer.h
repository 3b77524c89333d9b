// The ingest loop of the blockchain service: brings the PostgreSQL index to
// the node's best chain, block by block, following reorgs down to a
// configurable depth. (Runs in the replica holding the `ingest` lock.)
#ifndef ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INDEXER_H_
#define ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INDEXER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "common/chain/block.h"
#include "services/node/bitcoind_client.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::blockchain {

struct IndexerOptions {
  chain::BlockFormat block_format;
  // Deeper reorgs stop ingest with an error instead of rewriting history.
  int32_t max_reorg_depth = 200;
  // More than this many blocks behind, blocks are written in batches (one
  // transaction, relaxed commit) of up to these sizes; near the tip, one by
  // one with durable commits.
  int32_t batch_when_behind = 10;
  int32_t max_batch_blocks = 1;
  int64_t max_batch_transactions = 20000;
};

struct SyncResult {
  int32_t blocks_indexed = 0;
  int64_t transactions_indexed = 0;
  // Blocks removed by a reorg in this pass (0 when there was none).
  int32_t blocks_rolled_back = 0;
  int32_t tip_height = -1;
  int32_t node_height = -1;
  // Where the time went: node RPC and parsing, then PostgreSQL.
  double fetch_seconds = 0;
  double write_seconds = 0;
};

class Indexer {
 public:
  Indexer(node::BitcoindClient& node, pqxx::connection_base& connection, IndexerOptions options)
      : node_(node), connection_(connection), options_(options) {}

  // One pass: detects a reorg (rolls back to the fork), then indexes every
  // block up to the node's tip. UNAVAILABLE when the node or database is
  // down (retry later); FAILED_PRECONDITION for a reorg deeper than the limit.
  absl::StatusOr<SyncResult> SyncOnce();

 private:
  // The highest height where the index and the node agree, at most `from`.
  absl::StatusOr<int32_t> FindForkHeight(int32_t from, int32_t node_height);

  node::BitcoindClient& node_;
  pqxx::connection_base& connection_;
  IndexerOptions options_;
};

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INDEXER_H_
