#!/usr/bin/env bash
# Chain parser and SHA-256d throughput, with OpenSSL's own SHA-256 figure
# beside it. Prints the table and writes bench/results/chain_parse.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p bench/results
bazel build //bench:chain_parse_bench >/dev/null 2>&1
ELECTRUM_BENCH_BLOCK="$PWD/testdata/blocks/bitcoin_mainnet_951658.json" \
  bazel-bin/bench/chain_parse_bench --benchmark_min_time=1 \
  --benchmark_out=bench/results/chain_parse.json --benchmark_out_format=json
echo
echo "openssl speed -evp sha256 (single core, for comparison):"
openssl speed -evp sha256 -seconds 2 2>/dev/null | tail -2
