// blockchain_service: serves BlockchainService over gRPC from the chain index
// (headers cached in memory, kept current by the indexer's NOTIFYs) and the
// node, and with --ingest (the default) also takes part in the writer role:
// the replica holding the `ingest` lock indexes (ingest_loop.h), the others
// stand by. Wiring only: configuration, pools, the gRPC server, shutdown.
#include <algorithm>
#include <csignal>
#include <thread>

#include "absl/flags/flag.h"
#include "common/process/init_main.h"
#include "pqxx/pqxx"
#include "services/blockchain/indexer/ingest_loop.h"
#include "services/blockchain/service/blockchain_service.h"
#include "services/blockchain/service/dash_service.h"
#include "services/blockchain/service/tip_follower.h"
#include "services/common/grpc_server.h"
#include "services/common/node_flags.h"
#include "services/common/serve.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(std::string, database_url, "", "PostgreSQL connection string");
ABSL_FLAG(std::string, listen, "127.0.0.1:50101", "gRPC listen address (host:port)");
ABSL_FLAG(int, node_connections, 8, "Most concurrent node RPC connections");
ABSL_FLAG(int, database_connections, 8, "Most concurrent PostgreSQL connections");
ABSL_FLAG(int, max_headers, 2016, "Most headers in one GetHeaders answer");
ABSL_FLAG(int, transaction_cache_entries, 20000, "Confirmed raw transactions cached in memory");
ABSL_FLAG(int, fee_cache_ttl_ms, 30000, "How long fee answers are reused");
ABSL_FLAG(int, shutdown_grace_ms, 5000, "In-flight calls get this long on shutdown");
ABSL_FLAG(int, blocking_queue_max, 10000,
          "Most calls waiting for a blocking thread; more are refused with RESOURCE_EXHAUSTED");
ABSL_FLAG(int, blocking_threads, 8,
          "Threads for calls that read the database or ask the node (headers are answered "
          "without one); calls beyond them queue");
ABSL_FLAG(bool, ingest, true,
          "Also run the indexer in this process (one replica writes, under the ingest lock)");

namespace {

int Run() {
  const std::atomic<bool>& stop = electrum::services::StopOnSignals();
  const std::string url = absl::GetFlag(FLAGS_database_url);
  auto settings = electrum::services::CheckNodeServiceFlags(url);
  if (!settings.ok()) {
    spdlog::error("{}", std::string(settings.status().message()));
    return 2;
  }
  const electrum::chain::CoinParams& coin = *settings->coin;
  electrum::storage::ConnectionPool database(
      {.dsn = url,
       .max_connections = static_cast<size_t>(absl::GetFlag(FLAGS_database_connections))});
  electrum::services::NodeClientPool node(
      settings->node, static_cast<size_t>(absl::GetFlag(FLAGS_node_connections)));
  electrum::blockchain::HeaderCache headers;
  electrum::blockchain::TipFeed tips;
  electrum::blockchain::BlockchainServiceImpl service(
      {.coin = &coin,
       .max_headers = static_cast<uint32_t>(absl::GetFlag(FLAGS_max_headers)),
       .transaction_cache_entries =
           static_cast<size_t>(absl::GetFlag(FLAGS_transaction_cache_entries)),
       .fee_cache_ttl = std::chrono::milliseconds(absl::GetFlag(FLAGS_fee_cache_ttl_ms)),
       .blocking_threads = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_blocking_threads))),
       .blocking_queue_max =
           static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_blocking_queue_max)))},
      headers, tips, database, node);
  electrum::blockchain::DashServiceImpl dash(coin, node);
  electrum::blockchain::TipFollower follower(
      url, headers, tips, [&](const electrum::blockchain::TipChange&) { service.OnTipChanged(); });
  follower.Start();
  std::thread ingest;
  if (absl::GetFlag(FLAGS_ingest)) {
    ingest = std::thread([&] {
      if (electrum::blockchain::RunIngestLoop(url, coin, settings->node, stop) != 0) {
        spdlog::critical("this replica no longer indexes; reads continue to be served");
      }
    });
  }
  auto server = electrum::services::StartGrpcServer({.address = absl::GetFlag(FLAGS_listen)},
                                                    {&service, &dash});
  if (!server.ok()) {
    spdlog::error("{}", server.status().ToString());
    std::raise(SIGTERM);  // lets the ingest thread stop
    if (ingest.joinable()) ingest.join();
    return 1;
  }
  spdlog::info("blockchain service listening on port {}", server->port);
  electrum::services::ServeUntil(stop, *server->server,
                                 std::chrono::milliseconds(absl::GetFlag(FLAGS_shutdown_grace_ms)),
                                 [&] { tips.Close(); });
  follower.Stop();
  if (ingest.joinable()) ingest.join();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  electrum::InitMain(argc, argv, "blockchain",
                     "Headers, transactions, merkle proofs, fees and broadcasts; "
                     "also indexes the node into PostgreSQL (--ingest)");
  return Run();
}
