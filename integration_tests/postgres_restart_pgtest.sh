#!/usr/bin/env bash
# PostgreSQL stopped and started under the whole stack (Debian's python3).
set -euo pipefail
exec /usr/bin/python3 -u "$(dirname "$0")/postgres_restart_pgtest.py" "$@"
