// The blockchain service's writer role as a loop: take the `ingest` lock (or
// wait as a standby), apply the schema, then keep the index at the node's
// tip — a sync pass on every ZMQ hashblock and at least every poll
// interval — backing off while the node or PostgreSQL is down. Run by the
// blockchain service (in a thread) and by blockchain_indexer (alone).
#ifndef ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INGEST_LOOP_H_
#define ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INGEST_LOOP_H_

#include <atomic>
#include <string>

#include "common/chain/coins.h"
#include "services/node/bitcoind_client.h"

namespace electrum::blockchain {

// Configured by the ingest flags (--node_zmq_hashblock, --poll_interval_ms,
// --max_reorg_depth, --bulk_*, ...); `node` from the shared node flags
// (services::CheckNodeServiceFlags). Returns 0
// when `stop` is set, 1 when ingest stopped for good (a reorg deeper than
// the limit, a block that does not parse, a schema that cannot be applied:
// logged as critical with the reason).
int RunIngestLoop(const std::string& database_url, const chain::CoinParams& coin,
                  const node::BitcoindOptions& node, const std::atomic<bool>& stop);

}  // namespace electrum::blockchain

#endif  // ELECTRUM_SERVICES_BLOCKCHAIN_INDEXER_INGEST_LOOP_H_
