#!/usr/bin/env bash
# Builds the fuzzers with clang (libFuzzer + ASan + UBSan) and runs each
# briefly: the chain parser on a corpus seeded from the real blocks and
# transactions in testdata/, the gateway's framing + JSON-RPC message
# parsing on the example requests of docs/protocol.md. Exits non-zero on any
# crash, leak, sanitizer report or failed invariant.
#   run_fuzz.sh [SECONDS]   (each fuzzer; default: ELECTRUM_FUZZ_SECONDS or 30)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
readonly seconds="${1:-${ELECTRUM_FUZZ_SECONDS:-30}}"
readonly work="$(mktemp -d -t electrum-fuzz.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# Binaries are cached by the hash of everything they are built from, so a
# second test run only fuzzes.
readonly cache_dir="$HOME/.cache/electrum-server/fuzz"

# build_fuzzer NAME "HEADER GLOBS" SOURCES... → prints the binary's path
build_fuzzer() {
  local name="$1" headers="$2"
  shift 2
  # shellcheck disable=SC2086
  local key
  key="$(cat "$@" $headers "$0" | sha256sum | cut -c1-16)"
  local binary="$cache_dir/$name-$key"
  if [ ! -x "$binary" ]; then
    mkdir -p "$cache_dir"
    clang++ -std=c++20 -O1 -g -I. -Wno-deprecated-declarations \
      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
      "$@" -o "$work/$name" \
      -labsl_statusor -labsl_status -labsl_strings -labsl_str_format_internal \
      -labsl_cord -labsl_cord_internal -labsl_cordz_info -labsl_cordz_functions \
      -labsl_cordz_handle -labsl_synchronization -labsl_raw_logging_internal \
      -labsl_throw_delegate -labsl_int128 -labsl_base -labsl_spinlock_wait \
      -labsl_strings_internal -labsl_time -labsl_time_zone -labsl_stacktrace -labsl_symbolize \
      -labsl_debugging_internal -labsl_demangle_internal -labsl_malloc_internal \
      -labsl_graphcycles_internal -labsl_exponential_biased -labsl_bad_optional_access \
      -labsl_log_severity -lcrypto >&2
    rm -f "$cache_dir/$name"-*
    mv "$work/$name" "$binary"
  fi
  echo "$binary"
}

# run_fuzzer NAME BINARY CORPUS MAX_LEN
run_fuzzer() {
  local name="$1" binary="$2" corpus="$3" max_len="$4"
  "$binary" "$corpus" -max_total_time="$seconds" -max_len="$max_len" \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/" 2>"$work/$name.log" || {
    tail -60 "$work/$name.log"
    echo "fuzz: $name failed"
    exit 1
  }
  grep -E 'stat::number_of_executed_units|Done' "$work/$name.log" | tail -2
  echo "fuzz: $name ran ${seconds}s without findings"
}

parser_fuzzer="$(build_fuzzer parser_fuzzer "common/chain/*.h common/crypto/*.h" \
  common/chain/fuzz/parser_fuzzer.cc \
  common/chain/address.cc common/chain/base58.cc common/chain/bech32.cc \
  common/chain/block.cc common/chain/byte_reader.cc common/chain/byte_writer.cc \
  common/chain/coins.cc common/chain/hash_types.cc common/chain/merkle.cc \
  common/chain/name_script.cc common/chain/standard_scripts.cc common/chain/transaction.cc \
  common/crypto/hex.cc common/crypto/sha256.cc)"
message_fuzzer="$(build_fuzzer message_fuzzer "gateway/jsonrpc/*.h" \
  gateway/jsonrpc/fuzz/message_fuzzer.cc \
  gateway/jsonrpc/line_framer.cc gateway/jsonrpc/message.cc gateway/jsonrpc/shown_value.cc)"

# Parser seeds: every real block and transaction, under each format selector.
mkdir -p "$work/chain_corpus" "$work/message_corpus"
/usr/bin/python3 - "$work/chain_corpus" testdata <<'PY'
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
# Message seeds: the protocol document's example requests (lines starting "-> {" or
# "-> ["), whole and in small reads.
/usr/bin/python3 - "$work/message_corpus" docs/protocol.md <<'PY'
import os, re, sys
corpus, spec = sys.argv[1], sys.argv[2]
lines = [m.group(1) for m in re.finditer(r"^-> (\S.*)$", open(spec).read(), re.M)]
lines += ['{"id":1,"method":"server.version","params":["x",["1.4","1.6"]]}',
          '[{"jsonrpc":"2.0","id":1,"method":"server.ping"},{"method":"n"}]', '[]', '{bad']
for index, line in enumerate(lines):
    for selector in (0, 7):
        with open(os.path.join(corpus, f"seed{index:04d}-{selector}"), "wb") as out:
            out.write(bytes([selector]) + line.encode() + b"\n")
PY

run_fuzzer parser_fuzzer "$parser_fuzzer" "$work/chain_corpus" 300000
run_fuzzer message_fuzzer "$message_fuzzer" "$work/message_corpus" 20000
