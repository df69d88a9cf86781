#!/usr/bin/env bash
# One-command local run of the whole Coves AppView: real Kafka and PostgreSQL (embedded, no Docker), identity-service,
# firehose-ingestor in both roles, appview-api, and a real atproto PDS with its PLC directory and a Jetstream-compatible
# feed of its commits (local-stack/pds). On first start the sample communities, posts, comments and votes are written
# through the real path: accounts on the PDS, the AppView's own procedures, records in the users' repos.
#
#   ./run-local.sh               start (data kept in .local/)
#   ./run-local.sh --fresh       wipe .local/ first
#   ./run-local.sh --synthetic   no PDS: the Jetstream stand-in replays a generated sample instead (volume, no writes)
#   COVES_INSTANCE_PDS_URL=http://localhost:2583 COVES_JETSTREAM_URL=ws://localhost:6009/subscribe ./run-local.sh
#                                use that PDS and that Jetstream instead of starting them (nothing is seeded)
#   COVES_JETSTREAM_URL=ws://127.0.0.1:6008/subscribe ./run-local.sh   ingest from that Jetstream (no PDS: no writes)
#
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
. "$ROOT/.mvn/find-jdk.sh"
JAVA="$JAVA_HOME/bin/java"

FRESH=false
SYNTHETIC=false
for arg in "$@"; do
  case "$arg" in
    --fresh) FRESH=true ;;
    --synthetic) SYNTHETIC=true ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

API_PORT=${COVES_API_PORT:-8080}
IDENTITY_PORT=${COVES_IDENTITY_PORT:-8081}
JETSTREAM_ROLE_PORT=${COVES_JETSTREAM_ROLE_PORT:-8082}
INDEXER_PORT=${COVES_INDEXER_PORT:-8083}
KAFKA_PORT=${COVES_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=$((KAFKA_PORT + 1))
PG_PORT=${COVES_PG_PORT:-55432}
STANDIN_PORT=${COVES_STANDIN_PORT:-6008}
PLC_PORT=${COVES_PLC_PORT:-2582}
PDS_PORT=${COVES_PDS_PORT:-2583}
PDS_FEED_PORT=${COVES_PDS_FEED_PORT:-6009}
AGGREGATOR_DOMAIN_PORT=${COVES_AGGREGATOR_DOMAIN_PORT:-8443}
INSTANCE_DOMAIN=${COVES_INSTANCE_DOMAIN:-coves.test}

LOCAL="$ROOT/.local"
LOGS="$LOCAL/logs"
if $FRESH; then rm -rf "$LOCAL"; fi
mkdir -p "$LOGS"

apps=(identity-service firehose-ingestor appview-api)
need_build=false
[ -f local-stack/target/classes/local-stack.classpath ] || need_build=true
for app in "${apps[@]}"; do [ -f "$app/target/quarkus-app/quarkus-run.jar" ] || need_build=true; done
if $need_build; then
  echo "==> building (first run only): ./mvnw -q -B install -DskipTests"
  ./mvnw -q -B install -DskipTests
fi

PDS_PORTS=""
$SYNTHETIC || [ -n "${COVES_JETSTREAM_URL:-}" ] || PDS_PORTS="$PLC_PORT $PDS_PORT $PDS_FEED_PORT $AGGREGATOR_DOMAIN_PORT"
for port in $API_PORT $IDENTITY_PORT $JETSTREAM_ROLE_PORT $INDEXER_PORT $KAFKA_PORT $KAFKA_CONTROLLER_PORT $PG_PORT $PDS_PORTS; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is already in use; stop what holds it or set the COVES_*_PORT variables" >&2; exit 1
  fi
done

pids=()
names=()
cleanup() {
  trap - EXIT INT TERM HUP
  echo
  echo "==> stopping"
  # in reverse order, each gone before the next: services first, then the infrastructure they write to (an indexer
  # that outlives Kafka cannot leave its consumer group, and the next start then waits ~45 s for its partitions)
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "${pids[$i]}" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "    ${names[$i]} did not stop in 20 s; killing it"; kill -KILL "${pids[$i]}" 2>/dev/null || true
    fi
  done
  echo "==> stopped (logs in .local/logs)"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap 'cleanup; exit 129' HUP

# Each child runs in its own session (setsid, where there is one), so Ctrl-C reaches only this script, which stops
# them in order; without it the terminal would interrupt them all at once.
SETSID=()
command -v setsid >/dev/null 2>&1 && SETSID=(setsid)

start() { # name log command...
  local name=$1 log=$2; shift 2
  ${SETSID[@]+"${SETSID[@]}"} "$@" >"$log" 2>&1 </dev/null &
  LAST_PID=$!
  pids+=("$LAST_PID"); names+=("$name")
}

wait_for_line() { # name pid log pattern seconds
  local name=$1 pid=$2 log=$3 pattern=$4 seconds=$5
  for _ in $(seq 1 $((seconds * 5))); do
    if grep -q "$pattern" "$log" 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "$name did not become ready; last lines of $log:" >&2; tail -n 30 "$log" >&2; exit 1
}

wait_ready() { # name url seconds
  local name=$1 url=$2 seconds=$3
  for _ in $(seq 1 $((seconds * 2))); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then echo "    $name ready"; return 0; fi
    sleep 0.5
  done
  echo "$name did not become ready at $url; see $LOGS/$name.log" >&2; tail -n 30 "$LOGS/$name.log" >&2; exit 1
}

STACK_CP="$ROOT/local-stack/target/classes:$(cat local-stack/target/classes/local-stack.classpath)"
LAUNCHER_JVM=(-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

echo "==> starting PostgreSQL (data in .local/pg) and Kafka (data in .local/kafka)"
start postgres "$LOGS/postgres.log" "$JAVA" "${LAUNCHER_JVM[@]}" -cp "$STACK_CP" social.coves.localstack.postgres.PostgresMain \
  --port="$PG_PORT" --data-dir="$LOCAL/pg" --database=coves
PG_PID=$LAST_PID
start kafka "$LOGS/kafka.log" "$JAVA" "${LAUNCHER_JVM[@]}" -cp "$STACK_CP" social.coves.localstack.kafka.KafkaBrokerMain \
  --port="$KAFKA_PORT" --controller-port="$KAFKA_CONTROLLER_PORT" --data-dir="$LOCAL/kafka"
KAFKA_PID=$LAST_PID
wait_for_line postgres "$PG_PID" "$LOGS/postgres.log" "LOCAL-STACK READY" 90
wait_for_line kafka "$KAFKA_PID" "$LOGS/kafka.log" "LOCAL-STACK READY" 90

# Where events come from: the local PDS (default), a given PDS + Jetstream, a given Jetstream, or the stand-in
MODE=pds
if $SYNTHETIC; then MODE=synthetic
elif [ -n "${COVES_INSTANCE_PDS_URL:-}" ] && [ -n "${COVES_JETSTREAM_URL:-}" ]; then MODE=external-pds
elif [ -n "${COVES_JETSTREAM_URL:-}" ]; then MODE=external-jetstream
fi
SAMPLE=false
case "$MODE" in
  synthetic)
    echo "==> starting the local Jetstream stand-in with the bundled Coves sample"
    start jetstream-standin "$LOGS/jetstream-standin.log" "$JAVA" "${LAUNCHER_JVM[@]}" -cp "$STACK_CP" \
      social.coves.localstack.jetstream.JetstreamServerMain --port="$STANDIN_PORT"
    wait_for_line jetstream-standin "$LAST_PID" "$LOGS/jetstream-standin.log" "LOCAL-STACK READY" 60
    COVES_JETSTREAM_URL="ws://127.0.0.1:$STANDIN_PORT/subscribe"
    SAMPLE=true ;;
  pds)
    if [ ! -d local-stack/pds/node_modules ]; then
      echo "==> installing the local PDS (first run only): npm ci in local-stack/pds"
      (cd local-stack/pds && npm ci --no-audit --no-fund >"$LOGS/npm-ci.log" 2>&1) \
        || { echo "npm ci failed; see $LOGS/npm-ci.log" >&2; exit 1; }
    fi
    echo "==> starting the local PDS, its PLC directory and its Jetstream feed (data in .local/pds)"
    start pds "$LOGS/pds.log" node local-stack/pds/stack.mjs --plc-port="$PLC_PORT" --pds-port="$PDS_PORT" \
      --jetstream-port="$PDS_FEED_PORT" --data-dir="$LOCAL/pds" --handle-domains=".$INSTANCE_DOMAIN"
    wait_for_line pds "$LAST_PID" "$LOGS/pds.log" "LOCAL-STACK READY" 120
    COVES_INSTANCE_PDS_URL="http://localhost:$PDS_PORT"
    COVES_JETSTREAM_URL="ws://localhost:$PDS_FEED_PORT/subscribe"
    export COVES_IDENTITY_PLC_URL="http://localhost:$PLC_PORT" COVES_IDENTITY_LOCAL_MODE=true
    # the HTTPS domain local aggregators prove their DID at (self-signed; trusted by this identity-service only)
    start aggregator-domain "$LOGS/aggregator-domain.log" "$JAVA" "${LAUNCHER_JVM[@]}" -cp "$STACK_CP" \
      social.coves.localstack.aggregators.AggregatorDomainMain --port="$AGGREGATOR_DOMAIN_PORT" --dir="$LOCAL/aggregator-domain"
    wait_for_line aggregator-domain "$LAST_PID" "$LOGS/aggregator-domain.log" "LOCAL-STACK READY" 60
    export COVES_IDENTITY_FETCH_EXTRA_TRUSTED_CERTIFICATES="$LOCAL/aggregator-domain/localhost.pem" ;;
esac

export KAFKA_BOOTSTRAP_SERVERS="localhost:$KAFKA_PORT"
export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://localhost:$PG_PORT/coves"
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:$PG_PORT/coves"
export QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres
export QUARKUS_OTEL_SDK_DISABLED=true   # no collector locally
export QUARKUS_LOG_CONSOLE_JSON_ENABLED=${QUARKUS_LOG_CONSOLE_JSON_ENABLED:-false}   # readable logs (prod: JSON)
export COVES_JETSTREAM_URL
# signs feed cursors; kept across restarts so clients' cursors stay valid
[ -f "$LOCAL/cursor-secret" ] || head -c 32 /dev/urandom | base64 > "$LOCAL/cursor-secret"
export COVES_API_CURSOR_SECRET=$(cat "$LOCAL/cursor-secret")
# seals the community accounts' PDS credentials; kept across restarts or the stored credentials no longer open
[ -f "$LOCAL/sealing-key" ] || head -c 32 /dev/urandom | base64 > "$LOCAL/sealing-key"
export COVES_API_SEALING_KEY=$(cat "$LOCAL/sealing-key")
export COVES_INSTANCE_DOMAIN=$INSTANCE_DOMAIN
[ -n "${COVES_INSTANCE_PDS_URL:-}" ] && export COVES_INSTANCE_PDS_URL
APP_JVM=(-Xmx384m -XX:+UseSerialGC)

echo "==> starting identity-service, firehose-ingestor (indexer and jetstream roles) and appview-api"
QUARKUS_HTTP_PORT=$IDENTITY_PORT start identity-service "$LOGS/identity-service.log" \
  "$JAVA" "${APP_JVM[@]}" -jar identity-service/target/quarkus-app/quarkus-run.jar
# did:web hostedBy checks ask identity-service; the bundled sample's DIDs are in no PLC directory, and the local PDS's
# communities are hosted by did:web:localhost, which no .test handle can verify: so the checks are off with the sample
# and the local PDS (communities stay "pending", which the API lists) and on with an external Jetstream; the same for
# handle verification (.test handles do not resolve: the handles identity events claim are shown)
[ "$MODE" = external-jetstream ] || [ "$MODE" = external-pds ] && HOSTING_CHECKS=true || HOSTING_CHECKS=false
QUARKUS_HTTP_PORT=$INDEXER_PORT COVES_INGESTOR_JETSTREAM_ENABLED=false COVES_INGESTOR_INDEXER_ENABLED=true \
  COVES_INDEXER_IDENTITY_URL="http://localhost:$IDENTITY_PORT" COVES_INDEXER_HOSTING_ENABLED="${COVES_INDEXER_HOSTING_ENABLED:-$HOSTING_CHECKS}" \
  COVES_INDEXER_HANDLES_ENABLED="${COVES_INDEXER_HANDLES_ENABLED:-$HOSTING_CHECKS}" \
  start indexer "$LOGS/indexer.log" "$JAVA" "${APP_JVM[@]}" -jar firehose-ingestor/target/quarkus-app/quarkus-run.jar
wait_ready indexer "http://localhost:$INDEXER_PORT/q/health/ready" 120
QUARKUS_HTTP_PORT=$JETSTREAM_ROLE_PORT COVES_INGESTOR_JETSTREAM_ENABLED=true COVES_INGESTOR_INDEXER_ENABLED=false \
  start jetstream-ingestor "$LOGS/jetstream-ingestor.log" "$JAVA" "${APP_JVM[@]}" -jar firehose-ingestor/target/quarkus-app/quarkus-run.jar
QUARKUS_HTTP_PORT=$API_PORT QUARKUS_REST_CLIENT_IDENTITY_URL="http://localhost:$IDENTITY_PORT" \
  COVES_APPVIEW_PUBLIC_URL="http://localhost:$API_PORT" start appview-api "$LOGS/appview-api.log" \
  "$JAVA" "${APP_JVM[@]}" -jar appview-api/target/quarkus-app/quarkus-run.jar
wait_ready identity-service "http://localhost:$IDENTITY_PORT/q/health/ready" 120
wait_ready jetstream-ingestor "http://localhost:$JETSTREAM_ROLE_PORT/q/health/ready" 120
wait_ready appview-api "http://localhost:$API_PORT/q/health/ready" 120

cat <<MSG

Coves AppView is up.
  appview-api          http://localhost:$API_PORT        (XRPC under /xrpc/)
  identity-service     http://localhost:$IDENTITY_PORT
  ingestor, jetstream  http://localhost:$JETSTREAM_ROLE_PORT   (reading $COVES_JETSTREAM_URL)
  ingestor, indexer    http://localhost:$INDEXER_PORT
  Kafka                localhost:$KAFKA_PORT
  PostgreSQL           localhost:$PG_PORT  database coves, user postgres
  every service: /q/health/live, /q/health/ready, /q/metrics      logs: .local/logs/
MSG
if [ "$MODE" = pds ]; then
  echo "  PDS                  $COVES_INSTANCE_PDS_URL   (PLC $COVES_IDENTITY_PLC_URL, its Jetstream feed $COVES_JETSTREAM_URL)"
  if [ ! -f "$LOCAL/seeded" ]; then
    echo
    echo "==> seeding through the real path: accounts on the PDS, community.create / post.create on the API, comments and votes in users' repos"
    node local-stack/pds/seed.mjs --pds="$COVES_INSTANCE_PDS_URL" --api="http://localhost:$API_PORT" \
      --appview-did="${COVES_APPVIEW_DID:-did:web:localhost}" --domain="$INSTANCE_DOMAIN" \
      --aggregator-domain="localhost:$AGGREGATOR_DOMAIN_PORT" --aggregator-did-file="$LOCAL/aggregator-domain/atproto-did" \
      >"$LOCAL/seeded.tmp" 2>"$LOGS/seed.log" \
      || { echo "seeding failed; see $LOGS/seed.log" >&2; tail -n 20 "$LOGS/seed.log" >&2; exit 1; }
    mv "$LOCAL/seeded.tmp" "$LOCAL/seeded"
  fi
  echo
  echo "Seeded communities (accounts on the local PDS, made with community.create):"
  grep '^community ' "$LOCAL/seeded" | while read -r _ name did handle; do echo "  $name  $did  $handle"; done
  echo "Seeded users (handle / password, for com.atproto.server.createSession on the PDS):"
  grep '^user ' "$LOCAL/seeded" | while read -r _ handle did password; do echo "  $handle  $password"; done
  grep '^aggregator ' "$LOCAL/seeded" | while read -r _ handle did community; do
    echo "Seeded aggregator (a bot posting with an API key): $handle  $did  authorised in $community"
  done
  echo "Aggregators prove their DID at https://localhost:$AGGREGATOR_DOMAIN_PORT/.well-known/atproto-did (the file .local/aggregator-domain/atproto-did)"
  first=$(grep -m1 '^community ' "$LOCAL/seeded" | awk '{print $3}')
  echo
  echo "Try:  curl 'http://localhost:$API_PORT/xrpc/social.coves.feed.getCommunity?community=$first'"
  echo "Write walk-through (a token from the PDS, a community and a post with curl): README.md, \"Write through the local PDS\""
fi
if $SAMPLE; then
  echo
  echo "Sample communities (from the bundled Jetstream sample):"
  grep '^sample community' "$LOGS/jetstream-standin.log" | while read -r _ _ name did handle; do
    echo "  $name  $did  $handle"
  done
  first=$(grep -m1 '^sample community' "$LOGS/jetstream-standin.log" | awk '{print $4}')
  echo
  echo "Try:  curl 'http://localhost:$API_PORT/xrpc/social.coves.community.get?community=$first'"
fi
echo
echo "Ctrl-C stops everything."
wait -n "${pids[@]}" || true
echo "a process exited unexpectedly; see .local/logs" >&2
exit 1
