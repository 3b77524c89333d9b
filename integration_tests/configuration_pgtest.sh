#!/usr/bin/env bash
# Command-line and environment configuration of every binary (Debian's python3).
set -euo pipefail
exec /usr/bin/python3 -u "$(dirname "$0")/configuration_pgtest.py" "$@"
