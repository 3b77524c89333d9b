#!/usr/bin/env bash
# Address-history service benchmark on a real stack: simnode serving a
# generated chain, blockchain_indexer keeping PostgreSQL at its tip, and
# address_history_service; bench/history_service_bench measures over gRPC.
# The indexed database (bench_services) is kept between runs.
#   run_history_service_bench.sh [BLOCKS] [TXS_PER_BLOCK]  (default 800 x 2500 = 2M txs)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly blocks="${1:-800}"
readonly per_block="${2:-2500}"
mkdir -p bench/results
bazel build //tools/simnode //services/blockchain/indexer:blockchain_indexer \
  //services/history:address_history_service //bench:history_service_bench >/dev/null 2>&1

bash tools/localpg/localpg.sh start >/dev/null 2>&1
admin_dsn="$(bash tools/localpg/localpg.sh dsn)"
bench_dsn="${admin_dsn%/*}/bench_services"
psql -X -q "$admin_dsn" -tAc "SELECT 1 FROM pg_database WHERE datname = 'bench_services'" |
  grep -q 1 || psql -X -q "$admin_dsn" -c "CREATE DATABASE bench_services"

chain_dir="$HOME/.cache/electrum-server/bench-chain-${blocks}x${per_block}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
bazel-bin/tools/simnode/simnode --datadir="$chain_dir" --rpcport=0 \
  --workload_blocks="$blocks" --workload_txs_per_block="$per_block" >"$work/simnode.out" 2>/dev/null &
pids+=($!)
for _ in $(seq 1 1200); do grep -q "simnode ready" "$work/simnode.out" && break; sleep 0.1; done
port="$(grep -o 'rpcport=[0-9]*' "$work/simnode.out" | cut -d= -f2)"
node_height="$(grep -o 'height=[0-9]*' "$work/simnode.out" | cut -d= -f2)"

bazel-bin/services/blockchain/indexer/blockchain_indexer --database_url="$bench_dsn" \
  --node_port="$port" --node_cookie_file="$chain_dir/.cookie" --poll_interval_ms=20 \
  2>"$work/indexer.log" &
pids+=($!)
echo "waiting for the index to reach height $node_height (a first run bulk-loads it)" >&2
done_query="SELECT height FROM chain_tip WHERE NOT EXISTS (SELECT 1 FROM bulk_dropped_indexes)"
until [ "$(psql -X -At "$bench_dsn" -c "$done_query" 2>/dev/null)" -ge "$node_height" ] 2>/dev/null; do
  sleep 0.5
done
psql -X -q "$bench_dsn" -c "VACUUM ANALYZE" >/dev/null

bazel-bin/services/history/address_history_service --database_url="$bench_dsn" \
  --listen=127.0.0.1:0 --max_history_entries=2000000 ${HISTORY_SERVICE_FLAGS:-} \
  2>"$work/history.log" &
pids+=($!)
for _ in $(seq 1 100); do grep -q "listening on port" "$work/history.log" && break; sleep 0.1; done
service_port="$(grep -o 'listening on port [0-9]*' "$work/history.log" | grep -o '[0-9]*$')"

bazel-bin/bench/history_service_bench --service="127.0.0.1:$service_port" \
  --database_url="$bench_dsn" --node_port="$port" --node_cookie_file="$chain_dir/.cookie" \
  --json=bench/results/history_service.json
