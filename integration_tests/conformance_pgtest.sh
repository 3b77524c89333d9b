#!/usr/bin/env bash
# The protocol conformance suite against the whole stack (Debian's python3).
set -euo pipefail
exec /usr/bin/python3 -u "$(dirname "$0")/conformance_pgtest.py" "$@"
