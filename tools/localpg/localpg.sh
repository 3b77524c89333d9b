#!/usr/bin/env bash
# localpg: the project's own PostgreSQL cluster, inside the project's data
# directory. Used by `run`, the tests and CI; nothing depends on a PostgreSQL
# the machine happens to have running.
#
#   localpg.sh init     create the cluster (once)
#   localpg.sh start    init if needed, start on a free loopback port, wait until ready
#   localpg.sh stop     fast shutdown, wait until stopped
#   localpg.sh status   "running <dsn>" (exit 0) or "stopped" (exit 3)
#   localpg.sh dsn      the connection string of the running cluster
#
# Settings (environment): ELECTRUM_DATA_DIR (default <project>/.data),
# ELECTRUM_PG_BIN (default /usr/lib/postgresql/15/bin),
# ELECTRUM_PG_START_TIMEOUT_S (default 60).
#
# As root, the server runs as the unprivileged `postgres` user (initdb refuses
# root). The server listens on 127.0.0.1 only, with trust authentication for
# the `electrum` role: a local development and test cluster, not a deployment.
set -euo pipefail

readonly project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly pg_bin="${ELECTRUM_PG_BIN:-/usr/lib/postgresql/15/bin}"
readonly start_timeout_s="${ELECTRUM_PG_START_TIMEOUT_S:-60}"
readonly role="electrum"
readonly database="electrum"
readonly port_range_start=20000
readonly port_range_size=20000
readonly port_attempts=10

die() { echo "localpg: $*" >&2; exit 1; }
note() { echo "localpg: $*" >&2; }

[ -x "$pg_bin/pg_ctl" ] || die "no PostgreSQL at $pg_bin (run tools/install_deps.sh)"

server_user=""
if [ "$(id -u)" -eq 0 ]; then
  server_user="postgres"
  id -u "$server_user" >/dev/null 2>&1 || die "running as root needs the '$server_user' system user (installed with postgresql-15)"
fi

as_server_user() {
  # From /: the server user may not be allowed into the current directory.
  if [ -n "$server_user" ]; then (cd / && runuser -u "$server_user" -- "$@"); else "$@"; fi
}

# The server user must be able to reach its directory. A checkout under a
# private home (e.g. /root) is not reachable by `postgres`; then the cluster
# lives under /var/tmp, keyed by the project path, and we say so.
choose_base_dir() {
  local data_root="${ELECTRUM_DATA_DIR:-$project_root/.data}"
  mkdir -p "$data_root"
  if [ -z "$server_user" ] || as_server_user test -x "$data_root"; then
    echo "$data_root/postgres"
    return
  fi
  local key
  key="$(printf '%s' "$data_root" | sha256sum | cut -c1-16)"
  echo "/var/tmp/electrum-server-$key/postgres"
}

readonly base_dir="$(choose_base_dir)"
readonly cluster_dir="$base_dir/cluster"
readonly port_file="$base_dir/port"
readonly log_file="$base_dir/server.log"

# shellcheck source=../lib/ports.sh
source "$project_root/tools/lib/ports.sh"

# The port of the previous start when it is still free, so test results that
# depend on the connection string stay cached.
pick_port() {
  local port
  if [ -s "$port_file" ]; then
    port="$(cat "$port_file")"
    if ! port_in_use "$port"; then echo "$port"; return; fi
  fi
  pick_free_port "$port_range_start" "$port_range_size" ||
    die "no free port found in $port_range_start..$((port_range_start + port_range_size))"
}

is_running() { [ -d "$cluster_dir" ] && as_server_user "$pg_bin/pg_ctl" -D "$cluster_dir" status >/dev/null 2>&1; }

current_dsn() { echo "postgresql://$role@127.0.0.1:$(cat "$port_file")/$database"; }

cmd_init() {
  if [ -f "$cluster_dir/PG_VERSION" ]; then return 0; fi
  mkdir -p "$base_dir"
  [ -z "$server_user" ] || chown "$server_user" "$base_dir"
  note "creating cluster in $cluster_dir"
  as_server_user "$pg_bin/initdb" -D "$cluster_dir" -U "$role" --auth=trust \
    --encoding=UTF8 --no-locale --no-sync >"$base_dir/initdb.log" 2>&1 ||
    die "initdb failed; see $base_dir/initdb.log"
  # Loopback TCP only: no Unix socket path to outgrow or to clash on.
  as_server_user tee -a "$cluster_dir/postgresql.conf" >/dev/null <<CONF

# Added by tools/localpg/localpg.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
CONF
}

# Settings for an indexing workload, rewritten on every start so existing
# clusters pick up changes: more shared buffers than the 128 MB default, and
# room for WAL so a bulk load is not interrupted by forced checkpoints.
write_tuning() {
  local config="$cluster_dir/postgresql.conf"
  grep -q "electrum_tuning.conf" "$config" ||
    echo "include_if_exists = 'electrum_tuning.conf'" | as_server_user tee -a "$config" >/dev/null
  as_server_user tee "$cluster_dir/electrum_tuning.conf" >/dev/null <<CONF
# Written by tools/localpg/localpg.sh on every start; do not edit.
shared_buffers = '1GB'
max_wal_size = '8GB'
checkpoint_timeout = '15min'
maintenance_work_mem = '512MB'
CONF
}

cmd_start() {
  cmd_init
  if is_running; then
    note "already running: $(current_dsn)"
    return 0
  fi
  write_tuning
  local port attempt
  for attempt in $(seq 1 "$port_attempts"); do
    port="$(pick_port)"
    echo "$port" >"$port_file"
    if as_server_user "$pg_bin/pg_ctl" -D "$cluster_dir" -l "$log_file" -w -t "$start_timeout_s" \
      -o "-p $port" start >/dev/null 9>&-; then
      break
    fi
    # Another process may have taken the port between the check and the bind.
    rm -f "$port_file"
    [ "$attempt" -lt "$port_attempts" ] || die "server did not start; see $log_file"
    note "start on port $port failed (attempt $attempt), retrying on another port"
  done
  if ! "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$port" -U "$role" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$port" -U "$role" -d postgres -c "CREATE DATABASE $database" ||
      die "could not create database $database"
  fi
  note "running: $(current_dsn)"
}

cmd_stop() {
  if ! is_running; then
    note "not running"
    return 0
  fi
  as_server_user "$pg_bin/pg_ctl" -D "$cluster_dir" -m fast -w -t "$start_timeout_s" stop >/dev/null ||
    die "server did not stop; see $log_file"
  note "stopped"
}

cmd_status() {
  if is_running; then
    echo "running $(current_dsn)"
  else
    echo "stopped"
    return 3
  fi
}

cmd_dsn() {
  is_running || die "not running (start it with: $0 start)"
  current_dsn
}

# One lifecycle operation at a time per cluster. (The server must not inherit
# the lock descriptor: see the 9>&- on pg_ctl start.)
mkdir -p "$base_dir"
[ -z "$server_user" ] || chown "$server_user" "$base_dir"
exec 9>"$base_dir/.lock"
flock 9

case "${1:-}" in
  init) cmd_init ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  dsn) cmd_dsn ;;
  *) die "usage: $0 {init|start|stop|status|dsn}" ;;
esac
