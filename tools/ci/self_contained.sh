#!/usr/bin/env bash
# Fails when a tracked file reaches outside the repository for its data:
# a clone with nothing beside it must build, test, fuzz and benchmark. The
# pattern is split so this file does not match itself.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
outside='\.\./'"shared"'|@'"shared//"
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "self_contained: not a git checkout; nothing to check" >&2
  exit 1
fi
found="$(git grep -nE "$outside" -- . || true)"
if [ -n "$found" ]; then
  echo "self_contained: tracked files refer to a folder outside the repository:" >&2
  echo "$found" >&2
  exit 1
fi
echo "self_contained: no tracked file refers outside the repository"
