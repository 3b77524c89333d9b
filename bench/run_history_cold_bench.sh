#!/usr/bin/env bash
# Cold reads at the address-history service on an existing index, e.g. the
# one `KEEP_DB=1 bench/run_indexer_bench.sh ...` leaves (bench_indexer):
# starts address_history_service on it, runs bench/history_cold_read_bench
# (tables, and JSON in bench/results/history_cold_read.json and
# history_cold_status.json) twice, each on a fresh service, stops it.
# PostgreSQL's own cache is not dropped: "cold" means the service's.
#   run_history_cold_bench.sh [DATABASE]  (default bench_indexer)
# HISTORY_SERVICE=PATH runs another build of the service (e.g. a baseline
# built from an earlier commit) against the same index.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly database="${1:-bench_indexer}"
mkdir -p bench/results
bazel build //services/history:address_history_service //bench:history_cold_read_bench \
  >/dev/null 2>&1
bash tools/localpg/localpg.sh start >/dev/null 2>&1
admin_dsn="$(bash tools/localpg/localpg.sh dsn)"
dsn="${admin_dsn%/*}/$database"
work="$(mktemp -d)"
service_pid=""
cleanup() {
  [ -z "$service_pid" ] || kill "$service_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# Each pass on a service started for it, so that its reads are its first.
start_service() {
  "${HISTORY_SERVICE:-bazel-bin/services/history/address_history_service}" --database_url="$dsn" \
    --listen=127.0.0.1:0 --max_history_entries=5000000 --max_message_mb=256 \
    2>"$work/history.log" &
  service_pid=$!
  for _ in $(seq 1 100); do grep -q "listening on port" "$work/history.log" && break; sleep 0.1; done
  port="$(grep -o 'listening on port [0-9]*' "$work/history.log" | grep -o '[0-9]*$')"
}
stop_service() {
  kill "$service_pid" && wait "$service_pid" 2>/dev/null || true
  service_pid=""
}
start_service
bazel-bin/bench/history_cold_read_bench --service="127.0.0.1:$port" --database_url="$dsn" \
  --pass=history
stop_service
start_service
bazel-bin/bench/history_cold_read_bench --service="127.0.0.1:$port" --database_url="$dsn" \
  --pass=status --json=bench/results/history_cold_status.json
