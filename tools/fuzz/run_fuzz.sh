#!/usr/bin/env bash
# Builds the chain parser fuzzer with clang (libFuzzer + ASan + UBSan) and runs
# it briefly on a corpus seeded from the real blocks and transactions in
# ../shared/testdata. Exits non-zero on any crash, leak, sanitizer report or
# round-trip mismatch.
#   run_fuzz.sh [SECONDS]   (default: ELECTRUM_FUZZ_SECONDS or 30)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
readonly seconds="${1:-${ELECTRUM_FUZZ_SECONDS:-30}}"
readonly work="$(mktemp -d -t electrum-fuzz.XXXXXX)"
trap 'rm -rf "$work"' EXIT

sources=(
  common/chain/fuzz/parser_fuzzer.cc
  common/chain/address.cc common/chain/base58.cc common/chain/bech32.cc
  common/chain/block.cc common/chain/byte_reader.cc common/chain/byte_writer.cc
  common/chain/coins.cc common/chain/hash_types.cc common/chain/merkle.cc
  common/chain/name_script.cc common/chain/standard_scripts.cc common/chain/transaction.cc
  common/crypto/hex.cc common/crypto/sha256.cc
)
# The binary is cached by the hash of everything it is built from, so a
# second test run only fuzzes.
readonly cache_dir="$HOME/.cache/electrum-server/fuzz"
key="$(cat "${sources[@]}" common/chain/*.h common/crypto/*.h "$0" | sha256sum | cut -c1-16)"
binary="$cache_dir/parser_fuzzer-$key"
if [ ! -x "$binary" ]; then
  mkdir -p "$cache_dir"
  clang++ -std=c++20 -O1 -g -I. -Wno-deprecated-declarations \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    "${sources[@]}" -o "$work/parser_fuzzer" \
    -labsl_statusor -labsl_status -labsl_strings -labsl_str_format_internal \
    -labsl_cord -labsl_cord_internal -labsl_cordz_info -labsl_cordz_functions -labsl_cordz_handle \
    -labsl_synchronization -labsl_raw_logging_internal -labsl_throw_delegate -labsl_int128 \
    -labsl_base -labsl_spinlock_wait -labsl_strings_internal -labsl_time -labsl_time_zone \
    -labsl_stacktrace -labsl_symbolize -labsl_debugging_internal -labsl_demangle_internal \
    -labsl_malloc_internal -labsl_graphcycles_internal -labsl_exponential_biased \
    -labsl_bad_optional_access -labsl_log_severity -lcrypto
  rm -f "$cache_dir"/parser_fuzzer-*
  mv "$work/parser_fuzzer" "$binary"
fi

# Seeds: every real block and transaction, under each format selector.
mkdir -p "$work/corpus"
/usr/bin/python3 - "$work/corpus" ../shared/testdata <<'PY'
import glob, json, os, sys
corpus, data = sys.argv[1], sys.argv[2]
seeds = []
for path in glob.glob(os.path.join(data, "blocks", "*.json")):
    seeds += [(selector, json.load(open(path))["block"]) for selector in (3, 4, 5)]
for path in glob.glob(os.path.join(data, "transactions", "*.json")):
    seeds += [(selector, json.load(open(path))["hex"]) for selector in (0, 1, 2)]
for vector in json.load(open(os.path.join(data, "electrumx", "dash_special_tx.json")))["vectors"]:
    seeds.append((1, vector["hex"]))
for index, (selector, hex_text) in enumerate(seeds):
    raw = bytes.fromhex("".join(hex_text.split()))
    with open(os.path.join(corpus, f"seed{index:04d}"), "wb") as out:
        out.write(bytes([selector]) + raw)
PY

"$binary" "$work/corpus" -max_total_time="$seconds" -max_len=300000 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/" 2>"$work/log" || {
  tail -60 "$work/log"
  echo "fuzz: parser_fuzzer failed"
  exit 1
}
grep -E 'stat::number_of_executed_units|Done' "$work/log" | tail -2
echo "fuzz: parser_fuzzer ran ${seconds}s without findings"
