// The mempool service's writer role: keeps PostgreSQL's mempool tables a
// mirror of the node's mempool. Each pass diffs the node's txids against the
// mirror, fetches and parses the new transactions, resolves their inputs
// (other new transactions, the mirror, or the confirmed index), and applies
// removals and additions in one transaction that bumps the sequence number,
// records the touched script hashes in mempool_changes and NOTIFYs
// electrum_mempool. (Runs in the replica holding the `mempool` lock.)
#ifndef ELECTRUM_SERVICES_MEMPOOL_MEMPOOL_MIRROR_H_
#define ELECTRUM_SERVICES_MEMPOOL_MEMPOOL_MIRROR_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/transaction.h"
#include "services/node/bitcoind_client.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::mempool {

struct MempoolMirrorOptions {
  chain::TxFormat tx_format;
  // Most transactions added per database transaction (a pass loops).
  size_t max_additions_per_batch = 5000;
  // mempool_changes rows older than this many sequence numbers are pruned.
  int64_t keep_change_sequences = 10000;
};

struct MirrorResult {
  size_t added = 0;
  size_t removed = 0;
  // Node transactions left out this pass: an input is neither in the
  // mempool nor in the index yet (the block is still being indexed).
  size_t deferred = 0;
  size_t mempool_size = 0;
  int64_t sequence = 0;
};

class MempoolMirror {
 public:
  MempoolMirror(node::BitcoindClient& node, pqxx::connection_base& connection,
                MempoolMirrorOptions options)
      : node_(node), connection_(connection), options_(options) {}

  // A full pass: the node's whole mempool against the mirror. UNAVAILABLE
  // when the node or database is down.
  absl::StatusOr<MirrorResult> SyncOnce();

  // An incremental pass from the node's announcements (ZMQ `sequence`):
  // transactions added and removed since the last pass; ones the mirror
  // already has (or lacks) are skipped. mempool_size is not filled in.
  absl::StatusOr<MirrorResult> ApplyChanges(const std::vector<chain::TxId>& added,
                                            const std::vector<chain::TxId>& removed);

 private:
  absl::StatusOr<MirrorResult> Apply(const std::vector<chain::TxId>& added,
                                     const std::vector<chain::TxId>& removed);

  node::BitcoindClient& node_;
  pqxx::connection_base& connection_;
  MempoolMirrorOptions options_;
};

}  // namespace electrum::mempool

#endif  // ELECTRUM_SERVICES_MEMPOOL_MEMPOOL_MIRROR_H_
