#!/usr/bin/env bash
# Gateway benchmarks on the whole stack; see run_gateway_bench.py.
#   GATEWAY_BENCH_BLOCKS / GATEWAY_BENCH_TXS_PER_BLOCK size the generated chain;
#   GATEWAY_BENCH_WORKLOAD=mainnet (with GATEWAY_BENCH_TRANSACTIONS, default 2M)
#   uses the mainnet-shaped one instead (results in gateway_bench_mainnet.json).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bazel build //tools/simnode //storage/migrate //services/blockchain/service:blockchain_service \
  //services/mempool:mempool_service //services/history:address_history_service \
  //gateway/server:electrum_gateway //bench:gateway_load >/dev/null
bash tools/localpg/localpg.sh start >/dev/null
ELECTRUM_TEST_PG_DSN="$(bash tools/localpg/localpg.sh dsn)" exec /usr/bin/python3 -u \
  bench/run_gateway_bench.py
