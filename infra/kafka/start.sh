#!/usr/bin/env bash
# Start a throwaway single-node Kafka (KRaft, broker + controller in one JVM) on 127.0.0.1, in the
# background, and return once it serves requests. Jars come from fetch.sh (Maven), not Docker.
#
#   KAFKA_PORT             client listener            (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener  (default KAFKA_PORT+1)
#   KAFKA_DATA_DIR         logs, config, broker log   (default: a fresh temp dir)
#   KAFKA_START_TIMEOUT    seconds to wait for ready  (default 90)
#   KAFKA_OWNER_PID        if set, the broker is killed (and its data removed) when this process
#                          dies, so a crashed test run does not leave a JVM behind
#   KAFKA_HEAP_OPTS / KAFKA_JVM_OPTS  override JVM flags
#
# Run state lives in infra/kafka/data/kafka-<port>.{pid,dir}; stop.sh reads it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

port="${KAFKA_PORT:-9092}"
cport="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
timeout="${KAFKA_START_TIMEOUT:-90}"
run_dir="$here/data"
pid_file="$run_dir/kafka-$port.pid"
dir_file="$run_dir/kafka-$port.dir"

die() { echo "kafka start.sh: $*" >&2; exit 1; }
# On a failed start: show the broker log, then drop our run state (and a temp data dir we made).
fail() {
  if [[ -f "$log" ]]; then echo "--- tail of $log" >&2; tail -n 40 "$log" >&2; fi
  rm -f "$pid_file" "$dir_file"
  [[ -n "$own_data" ]] && rm -rf "$data"
  die "$1"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

command -v java >/dev/null || die "java not found (Java 17+ is needed)"
"$here/fetch.sh"

if [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  die "a broker started by this script already runs on port $port (pid $(cat "$pid_file")); run stop.sh first"
fi
# Without this check we would mistake someone else's listener for our broker being ready.
port_open "$port" && die "port $port is already in use"
port_open "$cport" && die "controller port $cport is already in use"

mkdir -p "$run_dir"
own_data=""
if [[ -n "${KAFKA_DATA_DIR:-}" ]]; then
  data="$KAFKA_DATA_DIR"
else
  data="$(mktemp -d "${TMPDIR:-/tmp}/huanjie-kafka-$port.XXXXXX")"
  own_data=1
fi
mkdir -p "$data/logs"
data="$(cd "$data" && pwd)"
log="$data/kafka.log"
props="$data/server.properties"

cat > "$props" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data/logs

# The application creates its topics explicitly; a typo must fail, not create a topic.
auto.create.topics.enable=false
num.partitions=3
delete.topic.enable=true

# Single node: every internal topic has one replica. Few partitions keep first use fast.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
min.insync.replicas=1

# Tests join groups constantly; the default 3 s delay would slow every consumer start.
group.initial.rebalance.delay.ms=0

# Throwaway data: keep little, in small segments.
log.retention.ms=3600000
log.retention.bytes=104857600
log.segment.bytes=16777216
log.retention.check.interval.ms=60000
num.recovery.threads.per.data.dir=1
num.network.threads=2
num.io.threads=4
PROPS

cp=("-cp" "$here/lib/*")
log4j="-Dlog4j.configuration=file:$here/log4j.properties"

# Format the log dir for KRaft, once: a reused KAFKA_DATA_DIR keeps its data and its cluster id
# (formatting it again, even with --ignore-formatted, fails on the new random cluster id).
if [[ ! -f "$data/logs/meta.properties" ]]; then
  cluster_id="$(java "${cp[@]}" "$log4j" kafka.tools.StorageTool random-uuid)"
  java "${cp[@]}" "$log4j" kafka.tools.StorageTool format -t "$cluster_id" -c "$props" --ignore-formatted >>"$log" 2>&1 \
    || fail "storage format failed"
fi

# Tiered compilation capped at C1 and the serial GC start faster on two cores; the broker never
# runs long enough for C2 to pay off.
heap="${KAFKA_HEAP_OPTS:--Xmx512m -Xms128m}"
jvm="${KAFKA_JVM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true}"

# setsid + closed stdio: the broker must not hold the caller's pipes open (a Node child_process
# would otherwise never see 'close') nor die with the caller's terminal process group.
# shellcheck disable=SC2086
setsid java $heap $jvm "$log4j" "${cp[@]}" kafka.Kafka "$props" </dev/null >>"$log" 2>&1 &
pid=$!
echo "$pid" > "$pid_file"
echo "$data" > "$dir_file"

if [[ -n "${KAFKA_OWNER_PID:-}" ]]; then
  owner="$KAFKA_OWNER_PID"
  setsid bash -c '
    while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 2; done
    if kill -0 "$2" 2>/dev/null; then
      kill -9 "$2" 2>/dev/null
      rm -rf "$3" "$4" "$5"
    fi' watchdog "$owner" "$pid" "$data" "$pid_file" "$dir_file" </dev/null >/dev/null 2>&1 &
fi

# The listener socket is bound before the broker can serve, so an open port alone is not enough:
# also wait for KafkaRaftServer's "Kafka Server started", logged after the broker is unfenced.
start=$SECONDS
until port_open "$port" && grep -q "Kafka Server started" "$log"; do
  if ! kill -0 "$pid" 2>/dev/null; then
    fail "broker exited during startup"
  fi
  if (( SECONDS - start >= timeout )); then
    kill -9 "$pid" 2>/dev/null || true
    fail "broker not ready on 127.0.0.1:$port after ${timeout}s"
  fi
  sleep 0.2
done
echo "kafka ready on 127.0.0.1:$port (pid $pid, data $data)"
