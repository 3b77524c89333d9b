#include "services/testing/indexed_simnode.h"

#include "common/chain/coins.h"
#include "services/blockchain/indexer/indexer.h"

namespace electrum::services {

absl::StatusOr<std::unique_ptr<IndexedSimnode>> IndexedSimnode::Start(
    const std::string& database_prefix, const std::function<void(simnode::Node&)>& populate) {
  auto started = std::unique_ptr<IndexedSimnode>(new IndexedSimnode());
  auto simnode = simnode::InProcessSimnode::Start({.mock_time = 1700000000});
  if (!simnode.ok()) return simnode.status();
  started->simnode_ = std::move(*simnode);
  started->simnode_->RunOnNode(populate);
  started->node_options_ = {.port = started->simnode_->port(),
                            .user = simnode::InProcessSimnode::kUser,
                            .password = simnode::InProcessSimnode::kPassword};
  auto database = storage::CreateMigratedTestDatabase(database_prefix);
  if (!database.ok()) return database.status();
  started->database_ = std::move(*database);
  started->connection_ = std::make_unique<pqxx::connection>(started->database_->dsn());
  return started;
}

absl::Status IndexedSimnode::Sync(const SyncOptions& options) {
  blockchain::Indexer indexer(node_options_, *connection_,
                              {.block_format = chain::BitcoinRegtest().block_format,
                               .max_reorg_depth = options.max_reorg_depth,
                               .bulk_min_blocks = options.bulk ? 1 : 0,
                               .history_keyed_from = options.history_keyed_from});
  return indexer.SyncOnce().status();
}

int32_t IndexedSimnode::NodeHeight() {
  int32_t height = 0;
  simnode_->RunOnNode([&](simnode::Node& node) { height = node.chain().Height(); });
  return height;
}

const simnode::BlockEntry* IndexedSimnode::Block(int32_t height) {
  const simnode::BlockEntry* entry = nullptr;
  simnode_->RunOnNode([&](simnode::Node& node) { entry = node.chain().AtHeight(height); });
  return entry;
}

}  // namespace electrum::services
