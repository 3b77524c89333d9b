#!/usr/bin/env bash
# Process-level indexer checks with Debian's python3, unbuffered.
set -euo pipefail
exec /usr/bin/python3 -u "$(dirname "$0")/indexer_process_pgtest.py" "$1" "$2"
