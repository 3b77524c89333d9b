#!/usr/bin/env bash
# The images' runtime package list covers what the binaries load.
set -euo pipefail
exec /usr/bin/python3 -u "$(dirname "$0")/runtime_packages_test.py" "$@"
