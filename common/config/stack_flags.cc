#include "common/config/stack_flags.h"

#include <algorithm>
#include <iterator>

namespace electrum {
namespace {

// Levenshtein distance: insertions, deletions and substitutions.
size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

// Every flag of every component, sorted. integration_tests/configuration_pgtest
// fails when a binary gains or loses a flag and this list does not follow.
constexpr absl::string_view kStackFlags[] = {
    "address_batch_in_flight",
    "address_batch_max",
    "address_cache_admission",
    "address_cache_mb",
    "admin_listen",
    "balance_batch_size",
    "balance_cache_entries",
    "bandwidth_unit_cost",
    "banner_file",
    "batch_when_behind",
    "blockchain_service",
    "blocking_queue_max",
    "blocking_threads",
    "bulk_batch_transactions",
    "bulk_fetch_threads",
    "bulk_fetch_window_blocks",
    "bulk_index_memory",
    "bulk_max_unspent_outputs",
    "bulk_min_blocks",
    "churn_block_interval_s",
    "churn_reorg_every",
    "churn_tps",
    "coin",
    "cost_hard_limit",
    "cost_soft_limit",
    "database_connections",
    "database_url",
    "datadir",
    "donation_address",
    "drop_client",
    "fee_cache_ttl_ms",
    "fee_estimate",
    "full_resync_interval_ms",
    "group_private_addresses",
    "grpc_queues",
    "handshake_timeout_ms",
    "histogram_refresh_ms",
    "history_batch_size",
    "history_cache_mb",
    "history_keyed_from",
    "history_service",
    "idle_timeout_s",
    "ingest",
    "initial_blocks",
    "initial_concurrent",
    "listen",
    "log_level",
    "max_backoff_ms",
    "max_batch",
    "max_batch_blocks",
    "max_batch_scripthashes",
    "max_batch_transactions",
    "max_headers",
    "max_history_entries",
    "max_message_mb",
    "max_name_proof_entries",
    "max_receive",
    "max_reorg_depth",
    "max_send",
    "max_send_queue",
    "max_sessions",
    "max_sessions_per_ip",
    "max_subscriptions",
    "max_watched_per_stream",
    "max_watched_scripthashes",
    "mempool_cycle_ms",
    "mempool_service",
    "metrics_listen",
    "mining_address",
    "mocktime",
    "network",
    "node_connections",
    "node_cookie_file",
    "node_host",
    "node_password",
    "node_port",
    "node_timeout_ms",
    "node_url",
    "node_user",
    "node_zmq_hashblock",
    "node_zmq_sequence",
    "notify_database_url",
    "notify_timeout_ms",
    "poll_interval_ms",
    "prefix_cache_mb",
    "prefix_min_entries",
    "progress_interval_ms",
    "report_host",
    "request_sleep_ms",
    "request_timeout_ms",
    "resident_blocks",
    "rpcbind",
    "rpcpassword",
    "rpcport",
    "rpcuser",
    "server_version",
    "session_group_ipv4_prefix",
    "session_group_ipv6_prefix",
    "shutdown_grace_ms",
    "ssl_certfile",
    "ssl_keyfile",
    "ssl_listen",
    "standby_interval_ms",
    "startup_timeout_s",
    "status_batch_runners",
    "status_batch_size",
    "status_keep_up_to",
    "status_prefix_cache_mb",
    "sweep_interval_ms",
    "target",
    "tcp_listen",
    "threads",
    "timeout_s",
    "transaction_cache_entries",
    "unspent_batch_size",
    "unspent_cache_mb",
    "upstream_max_message_mb",
    "warmup_ms",
    "workload",
    "workload_blocks",
    "workload_hot_scripts",
    "workload_hot_share",
    "workload_seed",
    "workload_transactions",
    "workload_txs_per_block",
    "ws_listen",
    "wss_listen",
    "zmqpub",
};

}  // namespace

const std::vector<absl::string_view>& StackFlagNames() {
  static const std::vector<absl::string_view>* names =
      new std::vector<absl::string_view>(std::begin(kStackFlags), std::end(kStackFlags));
  return *names;
}

bool IsStackFlag(absl::string_view flag_name) {
  return std::binary_search(std::begin(kStackFlags), std::end(kStackFlags), flag_name);
}

std::optional<std::string> NearestStackFlag(absl::string_view flag_name) {
  constexpr size_t kMostEdits = 2;
  std::optional<std::string> nearest;
  size_t nearest_edits = kMostEdits + 1;
  for (absl::string_view candidate : kStackFlags) {
    const size_t edits = EditDistance(flag_name, candidate);
    if (edits < nearest_edits) {
      nearest_edits = edits;
      nearest = std::string(candidate);
    }
  }
  return nearest;
}

}  // namespace electrum
