#!/usr/bin/env bash
# Jetstream role throughput: stand-in blasting a generated Coves network (local-stack SyntheticNetwork, seed 42;
# frames encoded before the clock starts) → ingestor jar → real Kafka.
# Usage: firehose-ingestor/bench/jetstream-bench.sh [events=100000] [compress=false]
# Needs: ./mvnw -B -o -pl local-stack,firehose-ingestor -am package -DskipTests   (quarkus-app jar + local-stack classpath)
# Env: BENCH_KAFKA_PORT / BENCH_STANDIN_PORT / BENCH_HTTP_PORT (ports), BENCH_JAR (another ingestor build, for A/B
#      runs in the same time window), BENCH_INGESTOR_OPTS (extra JVM options of the ingestor, e.g. a JFR
#      recording), BENCH_KEEP=true keeps the Kafka data directory.
# Prints one line: events/s (from the records' timestamps in Kafka) and the ingestor's CPU (cores and µs per event)
# over the measured window (after the first fifth of the events, up to the last one), its largest sampled heap and largest heap after
# a GC, reconnects (backpressure sheds), and the CPU of the stand-in and the broker, which share the same cores.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd); cd "$ROOT"
EVENTS=${1:-100000}; COMPRESS=${2:-false}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-2[5-9]*/bin/java 2>/dev/null | head -1)}; JAVA=${JAVA:-java}
OUT=$(mktemp -d /tmp/jetstream-bench.XXXX); PIDS=()
cleanup() {
  # newest first, one at a time: the ingestor's clean shutdown needs the broker, and the next run needs the ports
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[$i]}" 2>/dev/null || true; wait "${PIDS[$i]}" 2>/dev/null || true; done
  [ "${BENCH_KEEP:-false}" = true ] || rm -rf "$OUT/kafka"
}
trap cleanup EXIT
CP="$ROOT/local-stack/target/classes:$(cat local-stack/target/classes/local-stack.classpath)"
KPORT=${BENCH_KAFKA_PORT:-19092}; SPORT=${BENCH_STANDIN_PORT:-16008}; HPORT=${BENCH_HTTP_PORT:-18082}
DICT="$ROOT/../shared/fixtures/jetstream/legacy_subscribe.zdict"
wait_line() { for _ in $(seq 1 120); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 1; done; echo "timeout: $1" >&2; tail "$1" >&2; exit 1; }

"$JAVA" -Xmx512m -XX:+UseSerialGC -cp "$CP" social.coves.localstack.kafka.KafkaBrokerMain --port=$KPORT \
  --controller-port=$((KPORT + 1)) --data-dir="$OUT/kafka" > "$OUT/kafka.log" 2>&1 & KAFKA=$!; PIDS+=($KAFKA)
PRE=(); [ "$COMPRESS" = true ] && PRE=(--pre-encode=compressed) || PRE=(--pre-encode=text)
"$JAVA" -Xmx1g -cp "$CP" social.coves.localstack.jetstream.JetstreamServerMain --port=$SPORT --generate="$EVENTS" --seed=42 \
  --zstd-dictionary="$DICT" "${PRE[@]}" > "$OUT/standin.log" 2>&1 & STANDIN=$!; PIDS+=($STANDIN)
wait_line "$OUT/kafka.log" "LOCAL-STACK READY"; wait_line "$OUT/standin.log" "LOCAL-STACK READY"
TOTAL=$(grep -o "stand-in: [0-9]* events" "$OUT/standin.log" | grep -o "[0-9]*")
EXTRA=(); [ "$COMPRESS" = true ] && EXTRA=(-Dcoves.jetstream.zstd-dictionary="$DICT")
# shellcheck disable=SC2086
"$JAVA" -Xmx512m -XX:+UseSerialGC -Xlog:gc:file="$OUT/gc.log" ${BENCH_INGESTOR_OPTS:-} -Dquarkus.http.port=$HPORT -Dkafka.bootstrap.servers=localhost:$KPORT \
  -Dcoves.ingestor.indexer.enabled=false -Dcoves.jetstream.url=ws://127.0.0.1:$SPORT/subscribe -Dcoves.jetstream.initial-cursor=0 \
  "${EXTRA[@]}" -jar "${BENCH_JAR:-firehose-ingestor/target/quarkus-app/quarkus-run.jar}" > "$OUT/ingestor.log" 2>&1 & ING=$!; PIDS+=($ING)
metric() { curl -fsS "http://localhost:$HPORT/q/metrics" 2>/dev/null > "$OUT/metrics.txt" || true; }
# events acknowledged by Kafka: the durable cursor (the stand-in's seq, 1..N, of the last event of the contiguous
# acknowledged prefix). Counting frames handed to the producer minus those in flight jumped by tens of thousands
# between two scrapes and gave nonsense rates.
frames() { awk '/^coves_jetstream_durable_cursor/ {c=$2} END {printf "%d\n", c+0}' "$OUT/metrics.txt"; }
heap() { awk -v k="$1" '$0 ~ "^" k && /area="heap"/ {s+=$NF} END {print s+0}' "$OUT/metrics.txt"; }
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
# CPU of the three processes sampled locally every 100 ms (reading /proc answers at once, a scrape of a saturated
# ingestor does not); the rate comes from the records' timestamps in Kafka afterwards (ProduceRate), over the events
# after the first fifth (JIT warm-up and connection set-up are not measured)
( while kill -0 $ING 2>/dev/null; do echo "$(date +%s%3N) $(cpu $ING) $(cpu $STANDIN) $(cpu $KAFKA)"; sleep 0.1; done ) \
  > "$OUT/cpu.log" 2>/dev/null & SAMPLER=$!; PIDS+=($SAMPLER)
MAXHEAP=0
until metric; [ "$(frames)" -ge "$TOTAL" ]; do
  MAXHEAP=$(awk -v a="$(heap jvm_memory_used_bytes)" -v b="$MAXHEAP" 'BEGIN {print (a > b) ? a : b}')
  sleep 0.2
done
RATE=$("$JAVA" -cp "$CP" social.coves.localstack.kafka.ProduceRate --bootstrap=localhost:$KPORT \
  --topics=coves.repo-events.v1,coves.identity-events.v1,coves.ingest-rejects.v1 --skip=0.2 2> "$OUT/rate.log")
FROM=$(echo "$RATE" | grep -o 'from_ms=[0-9]*' | cut -d= -f2); TO=$(echo "$RATE" | grep -o 'to_ms=[0-9]*' | cut -d= -f2)
# CPU ticks of each process at the first samples at or after FROM and TO
read -r C0 S0 K0 < <(awk -v t="$FROM" '$1 >= t {print $2, $3, $4; exit}' "$OUT/cpu.log")
read -r C1 S1 K1 < <(awk -v t="$TO" '$1 >= t {print $2, $3, $4; exit}' "$OUT/cpu.log")
# largest heap left after a collection (live data), from the GC log: "... 150M->40M(491M) ..."
MAXLIVE=$(grep -o '[0-9]*M->[0-9]*M' "$OUT/gc.log" 2>/dev/null | sed 's/.*->//; s/M//' | sort -n | tail -1)
MAXLIVE=$(( ${MAXLIVE:-0} * 1048576 ))
SHEDS=$(awk '/^coves_jetstream_reconnects_total/ {s+=$2} END {print s+0}' "$OUT/metrics.txt")
N=$(echo "$RATE" | grep -o 'measured=[0-9]*' | cut -d= -f2)
awk -v n="$N" -v t0="$FROM" -v t1="$TO" -v c0="$C0" -v c1="$C1" -v s0="$S0" -v s1="$S1" -v k0="$K0" -v k1="$K1" \
  -v hz="$(getconf CLK_TCK)" -v heap="$MAXHEAP" -v live="$MAXLIVE" -v c="$COMPRESS" -v r="$SHEDS" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
  s = (t1 - t0) / 1000; printf "compress=%s events=%d seconds=%.2f events/s=%.0f ingestor-cpu=%.2f cores (%.0f us/event) " \
    "heap-max-sampled=%.0f MB heap-after-gc-max=%.0f MB (-Xmx512m) reconnects=%d stand-in-cpu=%.2f broker-cpu=%.2f load=%s\n",
  c, n, s, n / s, (c1 - c0) / hz / s, (c1 - c0) / hz / n * 1e6, heap / 1048576, live / 1048576, r, (s1 - s0) / hz / s,
  (k1 - k0) / hz / s, load }'
echo "logs: $OUT"
