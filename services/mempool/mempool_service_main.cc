// mempool_service: serves MempoolService over gRPC and, in the replica that
// holds the `mempool` advisory lock, mirrors the node's mempool into
// PostgreSQL (a pass on every ZMQ `sequence` message and at least every
// --poll_interval_ms). Wiring only.
#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "common/process/init_main.h"
#include "pqxx/pqxx"
#include "services/common/grpc_server.h"
#include "services/common/node_flags.h"
#include "services/common/notification_listener.h"
#include "services/common/serve.h"
#include "services/mempool/mempool_mirror.h"
#include "services/mempool/mempool_service.h"
#include "services/mempool/sequence_events.h"
#include "services/mempool/sequence_subscriber.h"
#include "spdlog/spdlog.h"
#include "storage/mempool_index/mempool_tables.h"
#include "storage/migrate/migrator.h"
#include "storage/pg/advisory_lock.h"
#include "storage/pg/pg_status.h"

ABSL_FLAG(std::string, database_url, "", "PostgreSQL connection string");
ABSL_FLAG(std::string, listen, "127.0.0.1:50102", "gRPC listen address (host:port)");
ABSL_FLAG(std::string, node_zmq_sequence, "",
          "Node ZMQ endpoint publishing `sequence` (empty: poll only)");
ABSL_FLAG(int, poll_interval_ms, 2000, "Mirror at least this often (ZMQ wakes it earlier)");
ABSL_FLAG(int, standby_interval_ms, 2000, "How often a standby tries to take the mempool lock");
ABSL_FLAG(int, max_backoff_ms, 30000, "Longest wait between retries while something is down");
ABSL_FLAG(int, database_connections, 4, "Most concurrent PostgreSQL connections for reads");
ABSL_FLAG(int, full_resync_interval_ms, 60000,
          "With ZMQ, compare the whole mempool at least this often anyway");
ABSL_FLAG(int, histogram_refresh_ms, 120000, "Fee histogram recomputation interval");
ABSL_FLAG(int, shutdown_grace_ms, 5000, "In-flight calls get this long on shutdown");
ABSL_FLAG(int, blocking_queue_max, 10000,
          "Most calls waiting for a blocking thread; more are refused with RESOURCE_EXHAUSTED");
ABSL_FLAG(int, blocking_threads, 2,
          "Threads for calls that read the database; calls beyond them queue");

namespace {

const std::atomic<bool>* stopping = nullptr;

void SleepFor(std::chrono::milliseconds duration) {
  electrum::services::SleepUnlessStopped(*stopping, duration);
}

// The writer role: take the lock (or wait), then mirror until stopped.
void MirrorLoop(const std::string& url, const electrum::services::NodeServiceSettings& settings) {
  const electrum::chain::CoinParams& coin = *settings.coin;
  electrum::node::BitcoindClient node(settings.node);
  // Incremental passes from the node's `sequence` announcements; a full
  // comparison at start, after gaps, blocks, errors and deferrals, and
  // every --full_resync_interval_ms (always, without ZMQ).
  electrum::mempool::SequenceSubscriber subscriber(absl::GetFlag(FLAGS_node_zmq_sequence));
  electrum::mempool::SequenceEvents events;
  bool force_full = true;
  auto last_full = std::chrono::steady_clock::now();
  const auto max_backoff = std::chrono::milliseconds(absl::GetFlag(FLAGS_max_backoff_ms));
  std::chrono::milliseconds backoff(500);
  std::unique_ptr<pqxx::connection> connection;
  bool leader = false;
  while (!*stopping) {
    if (connection == nullptr || !connection->is_open()) {
      leader = false;
      try {
        connection = std::make_unique<pqxx::connection>(url);
      } catch (const std::exception& error) {
        spdlog::warn("mempool mirror: cannot connect to PostgreSQL: {}; retrying in {} ms",
                     error.what(), backoff.count());
        connection.reset();
        SleepFor(backoff);
        backoff = std::min(backoff * 2, max_backoff);
        continue;
      }
    }
    if (!leader) {
      auto took =
          electrum::storage::TryTakeAdvisoryLock(*connection, electrum::storage::kMempoolLockKey);
      if (!took.ok() || !*took) {
        if (!took.ok()) connection.reset();
        SleepFor(std::chrono::milliseconds(absl::GetFlag(FLAGS_standby_interval_ms)));
        continue;
      }
      leader = true;
      spdlog::info("holding the mempool lock: this replica mirrors the node's mempool");
      // The schema may not exist yet if no ingest replica has run.
      auto migrated =
          electrum::storage::ApplyMigrations(*connection, electrum::storage::EmbeddedMigrations());
      if (!migrated.ok()) {
        spdlog::error("mempool mirror: {}; retrying", migrated.status().ToString());
        leader = false;
        connection.reset();
        SleepFor(backoff);
        backoff = std::min(backoff * 2, max_backoff);
        continue;
      }
    }
    electrum::mempool::MempoolMirror mirror(node, *connection, {.tx_format = coin.block_format.tx});
    const bool full = !subscriber.connected() || force_full || events.needs_full_resync() ||
                      std::chrono::steady_clock::now() - last_full >
                          std::chrono::milliseconds(absl::GetFlag(FLAGS_full_resync_interval_ms));
    absl::StatusOr<electrum::mempool::MirrorResult> synced;
    if (full) {
      events.StartFullResync();
      last_full = std::chrono::steady_clock::now();
      synced = mirror.SyncOnce();
    } else {
      electrum::mempool::SequenceEvents::Changes changes = events.Take();
      synced = mirror.ApplyChanges(changes.added, changes.removed);
    }
    // Whatever could not be applied is picked up by a full pass.
    force_full = !synced.ok() || synced->deferred > 0;
    if (!synced.ok()) {
      spdlog::warn("mempool mirror: {}; retrying in {} ms", synced.status().ToString(),
                   backoff.count());
      if (!connection->is_open()) connection.reset();
      SleepFor(backoff);
      backoff = std::min(backoff * 2, max_backoff);
      continue;
    }
    backoff = std::chrono::milliseconds(500);
    if (synced->added > 0 || synced->removed > 0) {
      spdlog::info("mempool ({} pass): +{} -{} txs, {} waiting for their inputs, sequence {}",
                   full ? "full" : "incremental", synced->added, synced->removed, synced->deferred,
                   synced->sequence);
    }
    subscriber.Wait(std::chrono::milliseconds(absl::GetFlag(FLAGS_poll_interval_ms)), *stopping,
                    events);
  }
}

int Run() {
  stopping = &electrum::services::StopOnSignals();
  const std::string url = absl::GetFlag(FLAGS_database_url);
  auto settings = electrum::services::CheckNodeServiceFlags(url);
  if (!settings.ok()) {
    spdlog::error("{}", std::string(settings.status().message()));
    return 2;
  }
  electrum::storage::ConnectionPool database(
      {.dsn = url,
       .max_connections = static_cast<size_t>(absl::GetFlag(FLAGS_database_connections))});
  electrum::mempool::MempoolServiceImpl service(
      {.histogram_refresh = std::chrono::milliseconds(absl::GetFlag(FLAGS_histogram_refresh_ms)),
       .blocking_threads = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_blocking_threads))),
       .blocking_queue_max =
           static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_blocking_queue_max)))},
      database);
  electrum::services::NotificationListener listener(
      {.dsn = url, .channels = {"electrum_mempool"}},
      [&] {
        // Catch up with the current sequence after every (re)connect.
        try {
          pqxx::connection connection(url);
          pqxx::read_transaction transaction(connection);
          service.OnSequence(electrum::storage::ReadMempoolSequence(transaction));
        } catch (const std::exception& error) {
          spdlog::warn("reading the mempool sequence: {}", error.what());
        }
      },
      [&](const std::string&, const std::string& payload) {
        uint64_t sequence = 0;
        if (absl::SimpleAtoi(payload, &sequence)) service.OnSequence(sequence);
      });
  listener.Start();
  auto server =
      electrum::services::StartGrpcServer({.address = absl::GetFlag(FLAGS_listen)}, {&service});
  if (!server.ok()) {
    spdlog::error("{}", server.status().ToString());
    return 1;
  }
  spdlog::info("mempool service listening on port {}", server->port);
  std::thread writer([&] { MirrorLoop(url, *settings); });
  electrum::services::ServeUntil(*stopping, *server->server,
                                 std::chrono::milliseconds(absl::GetFlag(FLAGS_shutdown_grace_ms)),
                                 [&] { service.Close(); });
  writer.join();
  listener.Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  electrum::InitMain(argc, argv, "mempool",
                     "Mirrors the node's mempool into PostgreSQL and serves the fee "
                     "histogram");
  return Run();
}
