# Shell helpers for picking loopback ports. Source it.

# True when something accepts connections on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints a port in [$1, $1 + $2) that nothing listens on (50 random tries).
pick_free_port() {
  local start="$1" size="$2" port
  for _ in $(seq 1 50); do
    port=$((start + RANDOM % size))
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  return 1
}
