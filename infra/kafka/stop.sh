#!/usr/bin/env bash
# Stop a broker started by start.sh (same KAFKA_PORT) and delete its data dir.
#   KAFKA_STOP_TIMEOUT  seconds to wait for a clean shutdown before SIGKILL (default 10)
#   KAFKA_KEEP_DATA=1   keep the data dir: start.sh with the same KAFKA_PORT and KAFKA_DATA_DIR
#                       brings the broker back with its topics, offsets and producer state
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${KAFKA_PORT:-9092}"
pid_file="$here/data/kafka-$port.pid"
dir_file="$here/data/kafka-$port.dir"
timeout="${KAFKA_STOP_TIMEOUT:-10}"

if [[ ! -f "$pid_file" ]]; then
  echo "kafka stop.sh: no broker recorded for port $port" >&2
  exit 0
fi
pid="$(cat "$pid_file")"
data="$(cat "$dir_file" 2>/dev/null || true)"

# A zombie (exited, not yet reaped by whoever adopted it) still answers kill -0; count it as gone.
alive() { [[ -d "/proc/$pid" ]] && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null; }

# Only signal the pid if it is still our Kafka JVM (pids get reused).
if alive && grep -q "kafka.Kafka" "/proc/$pid/cmdline" 2>/dev/null; then
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + timeout))
  while alive; do
    if (( SECONDS >= deadline )); then kill -KILL "$pid" 2>/dev/null || true; fi
    sleep 0.1
  done
fi

if [[ "${KAFKA_KEEP_DATA:-}" != "1" && -n "$data" && -d "$data" ]]; then rm -rf "$data"; fi
rm -f "$pid_file" "$dir_file"
