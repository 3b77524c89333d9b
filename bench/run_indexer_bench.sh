#!/usr/bin/env bash
# Initial sync of a simnode chain into PostgreSQL by blockchain_indexer:
# transactions and rows per second end to end (until the bulk load has
# merged its staging tables and rebuilt every index), database size per
# transaction, and the busy time of each pipeline stage (from the indexer's
# log). Prints a table and writes bench/results/indexer.json.
#   run_indexer_bench.sh [BLOCKS] [TXS_PER_BLOCK]   (default 40 x 2500 = 100k txs)
#   run_indexer_bench.sh --workload=mainnet --transactions=N [--txs-per-block=K]
#     a chain shaped like Bitcoin mainnet (docs/mainnet_shape.md), K = 2500 by default
#   --unspent-in-memory=M  the memory budget: the indexer holds at most M
#     unspent outputs (--bulk_max_unspent_outputs); below the chain's unspent
#     set, spends of evicted outputs spill to PostgreSQL
#   --simnode-resident-blocks=R  simnode keeps only the last R blocks in
#     memory and reads older ones back from its chain log (about 1 KB per
#     transaction otherwise: chains past ~20M transactions need it)
# KEEP_LOG=1 keeps the indexer log (with its node / PostgreSQL time split) in
# bench/results/indexer.log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
workload=synthetic transactions=0 positional=()
per_block_option="" unspent_in_memory=20000000 resident_blocks=0
for argument in "$@"; do
  case "$argument" in
    --workload=*) workload="${argument#*=}" ;;
    --transactions=*) transactions="${argument#*=}" ;;
    --txs-per-block=*) per_block_option="${argument#*=}" ;;
    --unspent-in-memory=*) unspent_in_memory="${argument#*=}" ;;
    --simnode-resident-blocks=*) resident_blocks="${argument#*=}" ;;
    *) positional+=("$argument") ;;
  esac
done
readonly blocks="${positional[0]:-40}"
readonly per_block="${per_block_option:-${positional[1]:-2500}}"
case "$workload" in
  synthetic)
    chain_name="${blocks}x${per_block}"
    workload_flags=(--workload_blocks="$blocks" --workload_txs_per_block="$per_block")
    ;;
  mainnet)
    [ "$transactions" -gt 0 ] || { echo "--workload=mainnet needs --transactions=N" >&2; exit 2; }
    chain_name="mainnet-${transactions}x${per_block}"
    workload_flags=(--workload=mainnet --workload_transactions="$transactions"
      --workload_txs_per_block="$per_block")
    ;;
  *) echo "--workload=$workload: expected synthetic or mainnet" >&2; exit 2 ;;
esac
mkdir -p bench/results
bazel build //tools/simnode //services/blockchain/indexer:blockchain_indexer >/dev/null 2>&1

started_pg=0
if ! bash tools/localpg/localpg.sh status >/dev/null 2>&1; then
  bash tools/localpg/localpg.sh start >/dev/null 2>&1
  started_pg=1
fi
admin_dsn="$(bash tools/localpg/localpg.sh dsn)"
bench_dsn="${admin_dsn%/*}/bench_indexer"
psql -X -q "$admin_dsn" -c "DROP DATABASE IF EXISTS bench_indexer WITH (FORCE)" 2>/dev/null
psql -X -q "$admin_dsn" -c "CREATE DATABASE bench_indexer"

# The chain is generated once per size and reused.
chain_dir="$HOME/.cache/electrum-server/bench-chain-${chain_name}"
work="$(mktemp -d)"
bazel-bin/tools/simnode/simnode --datadir="$chain_dir" --rpcport=0 "${workload_flags[@]}" \
  --resident_blocks="$resident_blocks" \
  >"$work/simnode.out" 2>/dev/null &
simnode_pid=$!
indexer_pid=""
cleanup() {
  [ -z "$indexer_pid" ] || kill "$indexer_pid" 2>/dev/null || true
  kill "$simnode_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  # KEEP_DB=1 leaves the loaded database (bench_indexer) for a look inside.
  [ -n "${KEEP_DB:-}" ] || psql -X -q "$admin_dsn" -c "DROP DATABASE IF EXISTS bench_indexer WITH (FORCE)" || true
  [ "$started_pg" -eq 0 ] || bash tools/localpg/localpg.sh stop >/dev/null 2>&1
  [ -z "${KEEP_LOG:-}" ] || cp "$work/indexer.log" bench/results/indexer.log
  rm -rf "$work"
}
trap cleanup EXIT
# Generating a large chain the first time takes minutes (about 40k tx/s).
until grep -q "simnode ready" "$work/simnode.out"; do
  kill -0 "$simnode_pid" 2>/dev/null || { echo "simnode failed" >&2; exit 1; }
  sleep 0.2
done
port="$(grep -o 'rpcport=[0-9]*' "$work/simnode.out" | cut -d= -f2)"
node_height="$(grep -o 'height=[0-9]*' "$work/simnode.out" | cut -d= -f2)"

start_ns=$(date +%s%N)
bazel-bin/services/blockchain/indexer/blockchain_indexer --database_url="$bench_dsn" \
  --node_port="$port" --node_cookie_file="$chain_dir/.cookie" --poll_interval_ms=100 \
  --progress_interval_ms=2000 --bulk_max_unspent_outputs="$unspent_in_memory" \
  2>"$work/indexer.log" &
indexer_pid=$!
done_query="SELECT height FROM chain_tip WHERE NOT EXISTS (SELECT 1 FROM bulk_dropped_indexes)"
until [ "$(psql -X -At "$bench_dsn" -c "$done_query" 2>/dev/null)" = "$node_height" ]; do
  kill -0 "$indexer_pid" 2>/dev/null || { cat "$work/indexer.log"; exit 1; }
  sleep 0.1
done
end_ns=$(date +%s%N)
# The finish commits, then logs its stages: they are read after that (the
# 30M run's table missed the spilled spends by reading the log too early).
until grep -q "bulk load finished" "$work/indexer.log"; do
  kill -0 "$indexer_pid" 2>/dev/null || { cat "$work/indexer.log"; exit 1; }
  sleep 0.2
done
peak_rss_kib="$(awk '/VmHWM/ {print $2}' "/proc/$indexer_pid/status")"
simnode_rss_kib="$(awk '/VmHWM/ {print $2}' "/proc/$simnode_pid/status")"
chain_log_bytes="$(stat -c %s "$chain_dir/chain.log")"
seconds=$(awk "BEGIN {print ($end_ns - $start_ns) / 1e9}")
# Files of truncated tables go at checkpoints (on the 30M run the size just
# after the finish was 23% above what it came to minutes later): checkpoint
# until the size stops shrinking, a minute at most. The database's lasting
# size is what is left then.
size_query="SELECT pg_database_size(current_database())"
psql -X -q "$bench_dsn" -c "CHECKPOINT"
previous_size="$(psql -X -At "$bench_dsn" -c "$size_query")"
for _ in $(seq 1 30); do
  sleep 2
  psql -X -q "$bench_dsn" -c "CHECKPOINT"
  size="$(psql -X -At "$bench_dsn" -c "$size_query")"
  [ "$size" -lt "$previous_size" ] || break
  previous_size="$size"
done
read -r txs outputs history bytes unspent < <(psql -X -At -F' ' "$bench_dsn" -c \
  "SELECT (SELECT sum(tx_count) FROM blocks), (SELECT count(*) FROM utxos),
          (SELECT coalesce(sum(octet_length(entries) / 14), 0) FROM history_ranges) +
          (SELECT coalesce(sum(octet_length(entries) / 41), 0) FROM history_keys),
          pg_database_size(current_database()),
          (SELECT count(*) FROM utxos)")
rows=$((txs + outputs + history))
# Where the bytes are: each table with its indexes and TOAST, per transaction.
table_sizes="$(psql -X -At -F' ' "$bench_dsn" -c \
  "SELECT relname, pg_total_relation_size(relid) FROM pg_stat_user_tables
   WHERE pg_total_relation_size(relid) > 65536 ORDER BY 2 DESC")"
awk -v s="$seconds" -v t="$txs" -v r="$rows" -v b="$bytes" -v h="$node_height" \
  -v u="$unspent" -v m="$peak_rss_kib" -v w="$workload" 'BEGIN {
  printf "| initial sync (%s chain) | value |\n| --- | --- |\n", w
  printf "| blocks | %d |\n| transactions | %d |\n| rows (transactions+utxos+history entries) | %d |\n", h + 1, t, r
  printf "| wall time | %.2f s |\n| transactions/s | %.0f |\n| rows/s | %.0f |\n", s, t / s, r / s
  printf "| database bytes per transaction | %.0f |\n", b / t
  printf "| unspent outputs at the end | %d (one per %.1f transactions) |\n", u, t / u
  printf "| indexer peak RSS | %.0f MiB |\n", m / 1024
}'
awk -v r="$simnode_rss_kib" -v c="$chain_log_bytes" -v k="$resident_blocks" 'BEGIN {
  printf "| simnode peak RSS (resident blocks: %s, 0 = all) | %.0f MiB |\n", k, r / 1024
  printf "| chain log on disk | %.1f GB |\n", c / 1e9
}'
# "(N spilled spends resolved in S s)"
read -r spilled spilled_seconds <<<"$(grep -o '([0-9]* spilled spends resolved in [0-9.]* s)' \
  "$work/indexer.log" | tail -1 | tr -c '0-9.\n' ' ')"
canceled="$(grep -o '[0-9]* outputs created and spent within a batch' "$work/indexer.log" |
  tail -1 | tr -cd '0-9')"
printf "| unspent outputs held in memory at most | %d |\n| spends resolved in PostgreSQL (spilled) | %d |\n" \
  "$unspent_in_memory" "${spilled:-0}"
printf "| outputs created and spent within a batch (never written) | %d |\n" "${canceled:-0}"
spilled_seconds="${spilled_seconds:-0}"
# "(N txids packed in S s)"
read -r txids_packed txids_seconds <<<"$(grep -o '([0-9]* txids packed in [0-9.]* s)' \
  "$work/indexer.log" | tail -1 | tr -c '0-9.\n' ' ')"
txids_seconds="${txids_seconds:-0}"
printf "\n| table (with indexes) | bytes per transaction |\n| --- | --- |\n"
while read -r name size; do
  [ -n "$name" ] && awk -v n="$name" -v b="$size" -v t="$txs" 'BEGIN {printf "| %s | %.1f |\n", n, b / t}'
done <<<"$table_sizes"
tables_json="$(while read -r name size; do
  [ -n "$name" ] && awk -v n="$name" -v b="$size" -v t="$txs" 'BEGIN {printf "\"%s\": %.1f,", n, b / t}'
done <<<"$table_sizes")"
tables_json="{${tables_json%,}}"
# "bulk load stages: wall W s; busy fetch+parse F s (over N workers), build B s,
#  write R s; builder waited S s for blocks, Q s for the writer; merge M s,
#  indexes I s, history packing P s"
sleep 0.5
stages="$(grep -o 'bulk load stages: .*' "$work/indexer.log" | tail -1 | tr -c '0-9.\n' ' ')"
read -r s_wall s_fetch s_workers s_build s_write s_starved s_blocked s_merge s_index s_history \
  <<<"${stages:-0 0 0 0 0 0 0 0 0 0}"
printf "\n| pipeline stage | seconds |\n| --- | --- |\n"
printf "| bulk phase wall time | %s |\n| fetch + parse busy (sum over %s workers, incl. node) | %s |\n" \
  "$s_wall" "$s_workers" "$s_fetch"
printf "| build rows (resolve spends, encode COPY) | %s |\n| write (binary COPY + commit) | %s |\n" \
  "$s_build" "$s_write"
printf "| builder waiting for blocks | %s |\n| builder waiting for the writer | %s |\n" \
  "$s_starved" "$s_blocked"
printf "| merge staged outputs and spends | %s |\n| of which resolving spilled spends | %s |\n" \
  "$s_merge" "$spilled_seconds"
printf "| rebuild indexes and keys | %s |\n" "$s_index"
printf "| pack history (sort by script hash, ranges and keyed rows) | %s |\n" "${s_history:-0}"
printf "| pack txids into txid_ranges (%s transactions) | %s |\n" "${txids_packed:-0}" "$txids_seconds"
printf '{"workload": "%s", "blocks": %d, "transactions": %d, "rows": %d, "seconds": %s, "tx_per_s": %s, "rows_per_s": %s, "bytes_per_tx": %s, "unspent_outputs": %d, "peak_rss_kib": %d, "unspent_in_memory": %d, "spilled_spends": %d, "canceled_outputs": %d, "table_bytes_per_tx": %s, "stages": {"bulk_wall": %s, "fetch_parse_busy": %s, "build_busy": %s, "write_busy": %s, "builder_starved": %s, "builder_blocked": %s, "merge": %s, "spilled_resolve": %s, "index_rebuild": %s, "history_pack": %s, "txid_pack": %s}, "simnode_rss_kib": %d, "simnode_resident_blocks": %d, "chain_log_bytes": %d}\n' \
  "$workload" "$((node_height + 1))" "$txs" "$rows" "$seconds" \
  "$(awk "BEGIN {print $txs / $seconds}")" "$(awk "BEGIN {print $rows / $seconds}")" \
  "$(awk "BEGIN {print $bytes / $txs}")" "$unspent" "$peak_rss_kib" "$unspent_in_memory" "${spilled:-0}" "${canceled:-0}" "$tables_json" "$s_wall" "$s_fetch" "$s_build" "$s_write" \
  "$s_starved" "$s_blocked" "$s_merge" "$spilled_seconds" "$s_index" "${s_history:-0}" \
  "$txids_seconds" "$simnode_rss_kib" "$resident_blocks" "$chain_log_bytes" >bench/results/indexer.json
