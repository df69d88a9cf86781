#!/usr/bin/env bash
# Jetstream role throughput: stand-in blasting a generated Coves network (local-stack SyntheticNetwork, seed 42)
# → ingestor jar → real Kafka.
# Usage: firehose-ingestor/bench/jetstream-bench.sh [events=100000] [compress=false]
# Needs: ./mvnw -B -o -pl local-stack,firehose-ingestor install -DskipTests   (quarkus-app jar + local-stack classpath)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd); cd "$ROOT"
EVENTS=${1:-100000}; COMPRESS=${2:-false}
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-2[5-9]*/bin/java 2>/dev/null | head -1)}; JAVA=${JAVA:-java}
OUT=$(mktemp -d /tmp/jetstream-bench.XXXX); PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
CP="$ROOT/local-stack/target/classes:$(cat local-stack/target/classes/local-stack.classpath)"
KPORT=${BENCH_KAFKA_PORT:-19092}; SPORT=${BENCH_STANDIN_PORT:-16008}; HPORT=${BENCH_HTTP_PORT:-18082}
DICT="$ROOT/../shared/fixtures/jetstream/legacy_subscribe.zdict"
wait_line() { for _ in $(seq 1 120); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 1; done; echo "timeout: $1" >&2; tail "$1" >&2; exit 1; }

"$JAVA" -Xmx512m -XX:+UseSerialGC -cp "$CP" social.coves.localstack.kafka.KafkaBrokerMain --port=$KPORT \
  --controller-port=$((KPORT + 1)) --data-dir="$OUT/kafka" > "$OUT/kafka.log" 2>&1 & PIDS+=($!)
"$JAVA" -Xmx1g -cp "$CP" social.coves.localstack.jetstream.JetstreamServerMain --port=$SPORT --generate="$EVENTS" --seed=42 \
  --zstd-dictionary="$DICT" > "$OUT/standin.log" 2>&1 & PIDS+=($!)
wait_line "$OUT/kafka.log" "LOCAL-STACK READY"; wait_line "$OUT/standin.log" "LOCAL-STACK READY"
TOTAL=$(grep -o "stand-in: [0-9]* events" "$OUT/standin.log" | grep -o "[0-9]*")
EXTRA=(); [ "$COMPRESS" = true ] && EXTRA=(-Dcoves.jetstream.zstd-dictionary="$DICT")
"$JAVA" -Xmx512m -XX:+UseSerialGC -Dquarkus.http.port=$HPORT -Dkafka.bootstrap.servers=localhost:$KPORT \
  -Dcoves.ingestor.indexer.enabled=false -Dcoves.jetstream.url=ws://127.0.0.1:$SPORT/subscribe -Dcoves.jetstream.initial-cursor=0 \
  "${EXTRA[@]}" -jar firehose-ingestor/target/quarkus-app/quarkus-run.jar > "$OUT/ingestor.log" 2>&1 & ING=$!; PIDS+=($ING)
frames() { curl -fsS "http://localhost:$HPORT/q/metrics" 2>/dev/null | awk '/^coves_ingest_frames_total\{outcome="(accepted|rejected)"/ {s+=$2} END {print s+0}'; }
heap() { curl -fsS "http://localhost:$HPORT/q/metrics" 2>/dev/null | awk '/^jvm_memory_used_bytes/ && /area="heap"/ {s+=$NF} END {print s+0}'; }
until [ "$(frames)" -gt 0 ]; do sleep 0.2; done
T0=$(date +%s.%N); C0=$(awk '{print $14+$15}' /proc/$ING/stat); MAXHEAP=0
while [ "$(frames)" -lt "$TOTAL" ]; do
  H=$(heap); MAXHEAP=$(awk -v a="$H" -v b="$MAXHEAP" 'BEGIN {print (a > b) ? a : b}')
  sleep 0.5
done
T1=$(date +%s.%N); C1=$(awk '{print $14+$15}' /proc/$ING/stat); N=$(frames)
awk -v n="$N" -v t0="$T0" -v t1="$T1" -v c0="$C0" -v c1="$C1" -v hz="$(getconf CLK_TCK)" -v heap="$MAXHEAP" -v c="$COMPRESS" 'BEGIN {
  s = t1 - t0; printf "compress=%s events=%d seconds=%.1f events/s=%.0f ingestor-cpu=%.2f cores heap-max-sampled=%.0f MB\n",
  c, n, s, n / s, (c1 - c0) / hz / s, heap / 1048576 }'
echo "logs: $OUT"
