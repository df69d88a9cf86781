#!/usr/bin/env bash
# The analysts' end of the log (docs/analytics.md), against a running ./run-local.sh (default ports, or the same
# COVES_*_PORT variables):
#
#   ./export.sh                  export coves.repo-events.v1 and coves.identity-events.v1 to Iceberg tables in
#                                .local/warehouse (catalog: schema iceberg_catalog of the local PostgreSQL), up to the
#                                end of the topics; run it again to add what arrived since (it resumes exactly)
#   ./export.sh --follow         keep exporting as events arrive (Ctrl-C commits what was read and stops)
#   ./export.sh consume TOPIC [N] print the first N (default 5) records of TOPIC raw, with keys and headers, using
#                                Kafka's own console consumer
#
# Any coves.export.* key can be set as COVES_EXPORT_* (e.g. COVES_EXPORT_FROM=time:2026-12-01T00:00:00Z).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
. "$ROOT/.mvn/find-jdk.sh"
JAVA="$JAVA_HOME/bin/java"
KAFKA_PORT=${COVES_KAFKA_PORT:-9092}
PG_PORT=${COVES_PG_PORT:-55432}
EXPORT_PORT=${COVES_EXPORT_PORT:-8084}

case "${1:-}" in
  -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
  consume)
    [ -n "${2:-}" ] || { echo "usage: ./export.sh consume TOPIC [N]   (topics: coves.repo-events.v1, coves.identity-events.v1, coves.ingest-rejects.v1)" >&2; exit 2; }
    topic=$2
    [ -f local-stack/target/classes/local-stack.classpath ] || ./mvnw -q -B -pl local-stack -am install -DskipTests
    exec "$JAVA" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$ROOT/local-stack/target/classes:$(cat local-stack/target/classes/local-stack.classpath)" \
      org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "localhost:$KAFKA_PORT" --topic "$topic" \
      --from-beginning --max-messages "${3:-5}" --property print.key=true --property print.headers=true ;;
  --follow) until=follow ;;
  "") until=end ;;
  *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
esac

[ -f firehose-ingestor/target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B install -DskipTests
mkdir -p .local/warehouse .local/logs
echo "==> exporting the topics of localhost:$KAFKA_PORT to .local/warehouse (log: .local/logs/export.log)"
LOG=.local/logs/export.log
touch "$LOG"
before=$(wc -l < "$LOG")
QUARKUS_HTTP_PORT=$EXPORT_PORT COVES_INGESTOR_JETSTREAM_ENABLED=false COVES_INGESTOR_INDEXER_ENABLED=false \
COVES_INGESTOR_EXPORT_ENABLED=true COVES_EXPORT_UNTIL=$until COVES_EXPORT_WAREHOUSE="$ROOT/.local/warehouse" \
KAFKA_BOOTSTRAP_SERVERS="localhost:$KAFKA_PORT" QUARKUS_LOG_CONSOLE_JSON_ENABLED=false QUARKUS_OTEL_SDK_DISABLED=true \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:$PG_PORT/coves" \
QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://localhost:$PG_PORT/coves" \
QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
  "$JAVA" -Xmx1g -jar firehose-ingestor/target/quarkus-app/quarkus-run.jar >> "$LOG" 2>&1 &
pid=$!
# Ctrl-C asks the export to stop (SIGTERM: it commits what it has read, then exits); its progress lines are shown here
trap 'kill -TERM "$pid" 2>/dev/null' INT TERM
tail -n +"$((before + 1))" --pid="$pid" -f "$LOG" | grep --line-buffered -E 'export (to|done|failed)|ERROR' &
viewer=$!
set +e
while true; do wait "$pid"; status=$?; kill -0 "$pid" 2>/dev/null || break; done
wait "$viewer"
set -e
[ "$until" = follow ] && [ "$status" = 143 ] && status=0   # stopped as asked
echo "==> tables: .local/warehouse/coves/<table>/data/**/*.parquet (docs/analytics.md has queries to run on them)"
exit "$status"
