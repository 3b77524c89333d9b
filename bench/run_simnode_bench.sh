#!/usr/bin/env bash
# simnode workload generation rate. Prints the table and writes
# bench/results/simnode_workload.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p bench/results
bazel build //bench:simnode_workload_bench >/dev/null 2>&1
bazel-bin/bench/simnode_workload_bench \
  --benchmark_out=bench/results/simnode_workload.json --benchmark_out_format=json
