// address_history_service: serves AddressHistoryService over gRPC from the
// chain index and the mempool mirror in PostgreSQL. Wiring only.
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <thread>

#include "absl/flags/flag.h"
#include "common/process/init_main.h"
#include "pqxx/pqxx"
#include "services/common/grpc_server.h"
#include "services/common/serve.h"
#include "services/history/change_tracker.h"
#include "services/history/history_service.h"
#include "spdlog/spdlog.h"
#include "storage/address_index/address_queries.h"

ABSL_FLAG(std::string, database_url, "", "PostgreSQL connection string");
ABSL_FLAG(std::string, notify_database_url, "",
          "Where change notifications are listened for (NOTIFY is not replicated): the primary "
          "when --database_url is a read replica; empty: --database_url");
ABSL_FLAG(std::string, listen, "127.0.0.1:50103", "gRPC listen address (host:port)");
ABSL_FLAG(int, database_connections, 8, "Most concurrent PostgreSQL connections");
ABSL_FLAG(int64_t, max_history_entries, 200000, "Larger histories are refused");
ABSL_FLAG(int, max_message_mb, 64,
          "Largest gRPC message (a history takes about 38 bytes per entry: 64 MB holds 1.7M)");
ABSL_FLAG(int64_t, max_watched_per_stream, 1000000, "Most script hashes per Watch stream");
ABSL_FLAG(int, status_batch_runners, 0,
          "Most concurrent statements for cold GetStatus calls (the rest wait and share); "
          "0: one per core (measured: 4 on 2 cores gave fewer statuses/s than 1 or 2)");
ABSL_FLAG(int, blocking_threads, 4,
          "Threads for reads outside the batches (long histories extended, mempool "
          "histories, GetBalances)");
ABSL_FLAG(int, status_batch_size, 256, "Most script hashes one GetStatus statement serves");
ABSL_FLAG(int, history_batch_size, 64, "Most script hashes one cold GetHistory statement serves");
ABSL_FLAG(int, unspent_batch_size, 128, "Most script hashes one cold ListUnspent statement serves");
ABSL_FLAG(int, balance_batch_size, 256, "Most script hashes one cold GetBalance statement serves");
ABSL_FLAG(int64_t, max_batch_scripthashes, 1000, "Most script hashes in one GetBalances call");
ABSL_FLAG(int64_t, history_cache_mb, 256, "Whole histories kept until they change");
ABSL_FLAG(int64_t, balance_cache_entries, 200000, "Balances kept until their script hash changes");
ABSL_FLAG(int64_t, unspent_cache_mb, 64, "Unspent lists kept until their script hash changes");
ABSL_FLAG(int64_t, prefix_min_entries, 1000,
          "Confirmed parts of histories this long are kept and extended after blocks");
ABSL_FLAG(int64_t, prefix_cache_mb, 256, "Memory for those confirmed parts");
ABSL_FLAG(int64_t, status_keep_up_to, 50000,
          "A status read alone hashes a history with more confirmed entries than this as its "
          "rows arrive, without keeping it");
ABSL_FLAG(int64_t, status_prefix_cache_mb, 16,
          "Memory for the status hash states of such histories' confirmed parts");
ABSL_FLAG(int, grpc_queues, 0, "gRPC server completion queues (0: one per core)");
ABSL_FLAG(int, shutdown_grace_ms, 5000, "In-flight calls get this long on shutdown");

namespace {

size_t StatusBatchRunners() {
  const int configured = absl::GetFlag(FLAGS_status_batch_runners);
  if (configured > 0) return static_cast<size_t>(configured);
  return std::max(1u, std::thread::hardware_concurrency());
}

int Run() {
  const std::atomic<bool>& stop = electrum::services::StopOnSignals();
  // Large answers (hundreds of thousands of history entries) would
  // otherwise be mmap'ed and page-faulted afresh on every request.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  const std::string url = absl::GetFlag(FLAGS_database_url);
  if (url.empty()) {
    spdlog::error("--database_url (or ELECTRUM_DATABASE_URL) is required");
    return 2;
  }
  electrum::storage::ConnectionPool database(
      {.dsn = url,
       .max_connections = static_cast<size_t>(absl::GetFlag(FLAGS_database_connections)),
       .on_connect = {electrum::storage::kGenericPlansSetting, electrum::storage::kNoJitSetting}});
  electrum::history::ChangeFeed changes;
  const std::string notify_url = absl::GetFlag(FLAGS_notify_database_url).empty()
                                     ? url
                                     : absl::GetFlag(FLAGS_notify_database_url);
  electrum::history::ChangeTracker tracker(notify_url, changes);
  electrum::history::HistoryServiceImpl service(
      {.max_history_entries = static_cast<size_t>(absl::GetFlag(FLAGS_max_history_entries)),
       .max_watched_per_stream = static_cast<size_t>(absl::GetFlag(FLAGS_max_watched_per_stream)),
       .history_cache_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_history_cache_mb)) << 20,
       .balance_cache_entries = static_cast<size_t>(absl::GetFlag(FLAGS_balance_cache_entries)),
       .unspent_cache_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_unspent_cache_mb)) << 20,
       .prefix_min_entries = static_cast<size_t>(absl::GetFlag(FLAGS_prefix_min_entries)),
       .prefix_cache_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_prefix_cache_mb)) << 20,
       .status_keep_up_to = static_cast<size_t>(absl::GetFlag(FLAGS_status_keep_up_to)),
       .status_prefix_cache_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_status_prefix_cache_mb))
                                    << 20,
       .status_batch_runners = StatusBatchRunners(),
       .status_batch_size = static_cast<size_t>(absl::GetFlag(FLAGS_status_batch_size)),
       .history_batch_runners = std::max<size_t>(1, std::thread::hardware_concurrency()),
       .history_batch_size = static_cast<size_t>(absl::GetFlag(FLAGS_history_batch_size)),
       .balance_batch_runners = std::max<size_t>(1, std::thread::hardware_concurrency()),
       .balance_batch_size = static_cast<size_t>(absl::GetFlag(FLAGS_balance_batch_size)),
       .unspent_batch_runners = std::max<size_t>(1, std::thread::hardware_concurrency()),
       .unspent_batch_size = static_cast<size_t>(absl::GetFlag(FLAGS_unspent_batch_size)),
       .max_batch_scripthashes = static_cast<size_t>(absl::GetFlag(FLAGS_max_batch_scripthashes)),
       .blocking_threads = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_blocking_threads)))},
      database, changes);
  tracker.Start();  // after the service's status cache is registered with `changes`
  auto server = electrum::services::StartGrpcServer(
      {.address = absl::GetFlag(FLAGS_listen),
       .max_message_bytes = absl::GetFlag(FLAGS_max_message_mb) << 20,
       .sync_server_queues = absl::GetFlag(FLAGS_grpc_queues)},
      {&service});
  if (!server.ok()) {
    spdlog::error("{}", server.status().ToString());
    return 1;
  }
  spdlog::info("address history service listening on port {}", server->port);
  electrum::services::ServeUntil(stop, *server->server,
                                 std::chrono::milliseconds(absl::GetFlag(FLAGS_shutdown_grace_ms)),
                                 [&] { changes.Close(); });
  tracker.Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  electrum::InitMain(
      argc, argv, "history",
      "Histories, balances, unspent outputs and statuses of "
      "script hashes from the PostgreSQL index, and the Watch stream of their changes");
  return Run();
}
