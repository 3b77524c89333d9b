#!/usr/bin/env bash
# The coin extensions through the gateway on simnode's Dash and Namecoin
# chains (Debian's python3).
set -euo pipefail
exec /usr/bin/python3 -u "$(dirname "$0")/coin_extensions_pgtest.py" "$@"
