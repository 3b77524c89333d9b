// For service tests: an in-process simnode with a generated chain, a fresh
// migrated test database, and the indexer to bring the database to the
// node's tip when asked.
#ifndef ELECTRUM_SERVICES_TESTING_INDEXED_SIMNODE_H_
#define ELECTRUM_SERVICES_TESTING_INDEXED_SIMNODE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "pqxx/pqxx"
#include "services/node/bitcoind_client.h"
#include "storage/testing/migrated_database.h"
#include "tools/simnode/testing/in_process_simnode.h"

namespace electrum::services {

class IndexedSimnode {
 public:
  // `populate` builds the chain on the node (e.g. a WorkloadGenerator run).
  static absl::StatusOr<std::unique_ptr<IndexedSimnode>> Start(
      const std::string& database_prefix, const std::function<void(simnode::Node&)>& populate);

  simnode::InProcessSimnode& simnode() { return *simnode_; }
  const node::BitcoindOptions& node_options() const { return node_options_; }
  const std::string& dsn() const { return database_->dsn(); }
  // A connection of the test's own (the indexer writes through it).
  pqxx::connection& connection() { return *connection_; }

  struct SyncOptions {
    // Bulk-load when the index is behind (as on a first sync), else block
    // by block.
    bool bulk = false;
    int32_t max_reorg_depth = 200;
    size_t history_keyed_from = 512;
  };
  // Indexes up to the node's tip (and follows reorgs).
  absl::Status Sync() { return Sync(SyncOptions{}); }
  absl::Status Sync(const SyncOptions& options);
  int32_t NodeHeight();
  const simnode::BlockEntry* Block(int32_t height);

 private:
  IndexedSimnode() = default;

  std::unique_ptr<simnode::InProcessSimnode> simnode_;
  node::BitcoindOptions node_options_;
  std::unique_ptr<storage::TestDatabase> database_;
  std::unique_ptr<pqxx::connection> connection_;
};

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_TESTING_INDEXED_SIMNODE_H_
