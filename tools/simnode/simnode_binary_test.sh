#!/usr/bin/env bash
# Runs the process-level simnode checks with the system python3.
set -euo pipefail
exec python3 "$(dirname "$0")/simnode_binary_test.py" "$1"
