// blockchain_indexer: the blockchain service's writer role on its own (see
// ingest_loop.h); stops cleanly on SIGINT/SIGTERM.
#include "absl/flags/flag.h"
#include "common/process/init_main.h"
#include "services/blockchain/indexer/ingest_loop.h"
#include "services/common/node_flags.h"
#include "services/common/serve.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(std::string, database_url, "", "PostgreSQL connection string");

int main(int argc, char** argv) {
  electrum::InitMain(argc, argv, "indexer",
                     "Follows the node into the PostgreSQL index (the blockchain "
                     "service's writer role on its own)");
  const std::atomic<bool>& stop = electrum::services::StopOnSignals();
  const std::string url = absl::GetFlag(FLAGS_database_url);
  auto settings = electrum::services::CheckNodeServiceFlags(url);
  if (!settings.ok()) {
    spdlog::error("{}", std::string(settings.status().message()));
    return 2;
  }
  const int exit_code =
      electrum::blockchain::RunIngestLoop(url, *settings->coin, settings->node, stop);
  spdlog::info("stopped");
  return exit_code;
}
