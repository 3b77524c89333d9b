#!/usr/bin/env bash
# The real Electrum wallet against the whole stack (Debian's python3 and electrum).
set -euo pipefail
export HOME="${TEST_TMPDIR:-/tmp}/electrum-home"
mkdir -p "$HOME"
exec /usr/bin/python3 -u "$(dirname "$0")/electrum_wallet_pgtest.py" "$@"
