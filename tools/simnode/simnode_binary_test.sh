#!/usr/bin/env bash
# Runs the process-level simnode checks with Debian's python3 (not whatever
# shim comes first on PATH), unbuffered so a log shows how far it got.
set -euo pipefail
exec /usr/bin/python3 -u "$(dirname "$0")/simnode_binary_test.py" "$1"
