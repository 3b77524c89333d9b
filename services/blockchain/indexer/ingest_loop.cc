#include "services/blockchain/indexer/ingest_loop.h"

#include <chrono>
#include <memory>
#include <optional>

#include "absl/flags/flag.h"
#include "pqxx/pqxx"
#include "services/blockchain/indexer/indexer.h"
#include "services/blockchain/indexer/ingest_leader.h"
#include "services/common/serve.h"
#include "services/common/zmq_wakeup.h"
#include "spdlog/spdlog.h"
#include "storage/migrate/migrator.h"
#include "storage/pg/pg_status.h"

ABSL_FLAG(std::string, node_zmq_hashblock, "",
          "Node ZMQ endpoint publishing hashblock (empty: poll only)");
ABSL_FLAG(int, poll_interval_ms, 2000, "Sync at least this often (ZMQ wakes it earlier)");
ABSL_FLAG(int, standby_interval_ms, 2000, "How often a standby tries to take the ingest lock");
ABSL_FLAG(int, max_backoff_ms, 30000, "Longest wait between retries while something is down");
ABSL_FLAG(int, max_reorg_depth, 200, "Deeper reorgs stop ingest with an error");
ABSL_FLAG(int, batch_when_behind, 10, "Index in batches while more than this many blocks behind");
ABSL_FLAG(int, max_batch_blocks, 1,
          "Most blocks in one batch (multi-block batches measured slower so far: issue 5)");
ABSL_FLAG(int64_t, max_batch_transactions, 20000, "Most transactions in one batch");
ABSL_FLAG(int, bulk_min_blocks, 100,
          "Bulk-load (indexes rebuilt afterwards) when at least this many blocks behind and more "
          "blocks remain than are indexed; 0 disables");
ABSL_FLAG(int, bulk_fetch_threads, 2, "Node connections fetching and parsing blocks in bulk");
ABSL_FLAG(int, bulk_fetch_window_blocks, 64, "Most blocks fetched ahead of the bulk builder");
ABSL_FLAG(int64_t, bulk_batch_transactions, 50000, "Transactions per bulk-load transaction");
ABSL_FLAG(int64_t, bulk_max_unspent_outputs, 20000000,
          "Most unspent outputs a bulk load holds in memory (90-185 bytes each); spends of older "
          "ones are resolved in PostgreSQL when the load finishes");
ABSL_FLAG(std::string, bulk_index_memory, "512MB",
          "PostgreSQL maintenance_work_mem for rebuilding indexes after a bulk load");
ABSL_FLAG(int64_t, history_keyed_from, 512,
          "A bulk load packs scripts with at least this many entries with their txids (reads "
          "without a txid lookup per entry), the others as 14-byte range entries");
ABSL_FLAG(int, progress_interval_ms, 5000, "Bulk-load progress log cadence");

namespace electrum::blockchain {
namespace {

absl::StatusOr<std::unique_ptr<pqxx::connection>> Connect(const std::string& url) {
  return storage::RunGuarded("connecting to PostgreSQL",
                             [&]() -> absl::StatusOr<std::unique_ptr<pqxx::connection>> {
                               return std::make_unique<pqxx::connection>(url);
                             });
}

}  // namespace

int RunIngestLoop(const std::string& database_url, const chain::CoinParams& coin,
                  const node::BitcoindOptions& node, const std::atomic<bool>& stop) {
  services::ZmqWakeup wakeup(absl::GetFlag(FLAGS_node_zmq_hashblock), "hashblock");

  const auto max_backoff = std::chrono::milliseconds(absl::GetFlag(FLAGS_max_backoff_ms));
  std::chrono::milliseconds backoff(500);
  std::unique_ptr<pqxx::connection> connection;
  std::optional<blockchain::Indexer> indexer;
  bool leader = false;
  while (!stop) {
    if (connection == nullptr || !connection->is_open()) {
      leader = false;
      indexer.reset();
      auto connected = Connect(database_url);
      if (!connected.ok()) {
        spdlog::warn("{}; retrying in {} ms", connected.status().ToString(), backoff.count());
        services::SleepUnlessStopped(stop, backoff);
        backoff = std::min(backoff * 2, max_backoff);
        continue;
      }
      connection = std::move(*connected);
    }
    if (!leader) {
      auto became = blockchain::TryBecomeIngestLeader(*connection);
      if (!became.ok() || !*became) {
        if (!became.ok()) connection.reset();
        services::SleepUnlessStopped(
            stop, std::chrono::milliseconds(absl::GetFlag(FLAGS_standby_interval_ms)));
        continue;
      }
      leader = true;
      spdlog::info("holding the ingest lock: this replica writes the index");
      auto migrated = storage::ApplyMigrations(*connection, storage::EmbeddedMigrations());
      if (!migrated.ok()) {
        spdlog::error("{}", migrated.status().ToString());
        return 1;
      }
    }
    // One per connection: it remembers, e.g., that bulk loading did not fit.
    if (!indexer) {
      indexer.emplace(
          node, *connection,
          blockchain::IndexerOptions{
              .block_format = coin.block_format,
              .max_reorg_depth = absl::GetFlag(FLAGS_max_reorg_depth),
              .batch_when_behind = absl::GetFlag(FLAGS_batch_when_behind),
              .max_batch_blocks = absl::GetFlag(FLAGS_max_batch_blocks),
              .max_batch_transactions = absl::GetFlag(FLAGS_max_batch_transactions),
              .bulk_min_blocks = absl::GetFlag(FLAGS_bulk_min_blocks),
              .bulk_index_memory = absl::GetFlag(FLAGS_bulk_index_memory),
              .history_keyed_from = static_cast<size_t>(
                  std::max<int64_t>(1, absl::GetFlag(FLAGS_history_keyed_from))),
              .bulk = {.fetch_threads = absl::GetFlag(FLAGS_bulk_fetch_threads),
                       .fetch_window_blocks = absl::GetFlag(FLAGS_bulk_fetch_window_blocks),
                       .batch_transactions = absl::GetFlag(FLAGS_bulk_batch_transactions),
                       .max_unspent_outputs =
                           static_cast<size_t>(absl::GetFlag(FLAGS_bulk_max_unspent_outputs)),
                       .progress_interval =
                           std::chrono::milliseconds(absl::GetFlag(FLAGS_progress_interval_ms))},
              .stop = &stop});
    }
    const auto started = std::chrono::steady_clock::now();
    auto synced = indexer->SyncOnce();
    if (!synced.ok()) {
      if (synced.status().code() == absl::StatusCode::kFailedPrecondition ||
          synced.status().code() == absl::StatusCode::kDataLoss) {
        spdlog::critical("ingest stopped: {}", synced.status().ToString());
        return 1;
      }
      spdlog::warn("{}; retrying in {} ms", synced.status().ToString(), backoff.count());
      if (!connection->is_open()) connection.reset();
      services::SleepUnlessStopped(stop, backoff);
      backoff = std::min(backoff * 2, max_backoff);
      continue;
    }
    backoff = std::chrono::milliseconds(500);
    if (synced->blocks_indexed > 0 || synced->blocks_rolled_back > 0) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      spdlog::info(
          "height {} of {}: {} blocks, {} txs in {:.1f} s ({:.0f} tx/s; node {:.1f} s, "
          "PostgreSQL {:.1f} s), {} rolled back",
          synced->tip_height, synced->node_height, synced->blocks_indexed,
          synced->transactions_indexed, seconds,
          synced->transactions_indexed / std::max(seconds, 1e-6), synced->fetch_seconds,
          synced->write_seconds, synced->blocks_rolled_back);
      if (synced->bulk) {
        const auto& bulk = *synced->bulk;
        spdlog::info(
            "bulk load stages: wall {:.1f} s; busy fetch+parse {:.1f} s (over {} workers), "
            "build {:.1f} s, write {:.1f} s; builder waited {:.1f} s for blocks, {:.1f} s for "
            "the writer; merge {:.1f} s, indexes {:.1f} s, history packing {:.1f} s",
            bulk.wall_seconds, bulk.fetch_seconds, absl::GetFlag(FLAGS_bulk_fetch_threads),
            bulk.build_seconds, bulk.write_seconds, bulk.builder_starved_seconds,
            bulk.builder_blocked_seconds, synced->bulk_merge_seconds, synced->bulk_index_seconds,
            synced->bulk_history_seconds);
        spdlog::info(
            "bulk load rows: {} outputs created and spent within a batch never written; {} spends "
            "spilled to PostgreSQL",
            bulk.canceled_outputs, bulk.spilled_spends);
      }
    }
    // Wait for a new block announcement or the poll interval.
    wakeup.Wait(std::chrono::milliseconds(absl::GetFlag(FLAGS_poll_interval_ms)), stop);
  }
  spdlog::info("ingest stopped");
  return 0;
}

}  // namespace electrum::blockchain
