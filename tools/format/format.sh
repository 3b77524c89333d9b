#!/usr/bin/env bash
# Formats the project's C++ and proto sources with .clang-format.
#   format.sh          rewrite files in place
#   format.sh --check  list unformatted files and exit 1 if there are any
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

mapfile -t files < <(git ls-files --cached --others --exclude-standard \
  '*.cc' '*.h' '*.proto' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
[ "${#files[@]}" -gt 0 ] || { echo "format: no files"; exit 0; }

if [ "${1:-}" = "--check" ]; then
  unformatted=()
  for file in "${files[@]}"; do
    if ! clang-format --dry-run --Werror "$file" >/dev/null 2>&1; then
      unformatted+=("$file")
    fi
  done
  if [ "${#unformatted[@]}" -gt 0 ]; then
    echo "format: ${#unformatted[@]} file(s) not formatted (run tools/format/format.sh):"
    printf '  %s\n' "${unformatted[@]}"
    exit 1
  fi
  echo "format: ${#files[@]} files formatted"
else
  clang-format -i "${files[@]}"
fi
