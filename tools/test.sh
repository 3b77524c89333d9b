#!/usr/bin/env bash
# Runs every test: installs what is missing, checks formatting, fuzzes the
# parsers briefly, starts the project's PostgreSQL, runs `bazel test //...`
# against it, stops it again. Helpers use Debian's /usr/bin/python3, not
# whatever shim comes first on PATH.
# Ends with "N passed, N failed" (test cases, counted from the results) and
# exits non-zero on any failure, any build error, or when no test ran.
#
# Extra arguments go to `bazel test` (e.g. a narrower target pattern).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/install_deps.sh || { echo "0 passed, 1 failed"; exit 1; }

# Checks outside Bazel, one test case each.
checks_passed=0
checks_failed=0
run_check() {
  if "$@"; then
    checks_passed=$((checks_passed + 1))
  else
    checks_failed=$((checks_failed + 1))
    echo "check failed: $*"
  fi
}
run_check bash tools/format/format.sh --check
# Nothing may read a folder beside the repository (a plain clone must work).
run_check bash tools/ci/self_contained.sh
# Parsers under libFuzzer + ASan + UBSan (ELECTRUM_FUZZ_SECONDS, default 30).
run_check bash tools/fuzz/run_fuzz.sh

started_pg=0
stop_pg() {
  [ "$started_pg" -eq 1 ] || return 0
  bash tools/localpg/localpg.sh stop
  started_pg=0
}
trap stop_pg EXIT
if ! bash tools/localpg/localpg.sh status >/dev/null 2>&1; then
  bash tools/localpg/localpg.sh start || { echo "0 passed, 1 failed"; exit 1; }
  started_pg=1
fi
dsn="$(bash tools/localpg/localpg.sh dsn)"

events="$(mktemp -t electrum-test-events.XXXXXX.json)"
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=("//...")
bazel test \
  --test_env=ELECTRUM_TEST_PG_DSN="$dsn" \
  --build_event_json_file="$events" \
  --keep_going \
  "${targets[@]}"
bazel_status=$?
# Stop before counting: the count must be the last line printed.
stop_pg

/usr/bin/python3 tools/ci/count_results.py "$events" "$checks_passed" "$checks_failed"
count_status=$?
rm -f "$events"
if [ "$bazel_status" -ne 0 ] && [ "$count_status" -eq 0 ]; then
  echo "bazel test exited with $bazel_status"
  echo "0 passed, 1 failed"
  exit 1
fi
exit "$count_status"
