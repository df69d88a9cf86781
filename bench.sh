#!/usr/bin/env bash
# Benchmarks anyone can rerun. Each prints a small table and writes results under target/bench/.
#
#   ./bench.sh ingest [--quick]   Jetstream stand-in at full speed → jetstream role → Kafka (plain and zstd): events/s, CPU, heap (300k / 100k events)
#   ./bench.sh index  [--quick]   replay of a generated history from Kafka → Postgres with 1 and 3 indexer replicas: events/s next to a COPY ceiling
#                                 (INDEX_EVENTS=, HOT_EVENTS=: sizes of the generated network and of the hot spot)
#   ./bench.sh api    [--quick]   1M posts / 1,000 communities: feeds at page 1 and 50, timeline, getComments, community.get; the users-like
#                                 mix with the CPU split and the mix's own SQL ceiling (pgbench); COVES_BENCH_JFR=1: a JFR profile of the mix
#   ./bench.sh identity [--quick] cached resolveIdentity/resolveDid/resolveHandle over HTTP at 100 clients (wrk or in-JVM)
#   ./bench.sh e2e-freshness [--quick]   vote frame leaving the stand-in (serving 2,000 events/s; E2E_RATE=...) → visible via the API: p50/p99
#   ./bench.sh writes [--quick]   post.create through the API next to the local PDS's own createRecord at 1/10/50 authors; create → in the feed
#   ./bench.sh sealed-writes [--quick]   writes of users signed in through the AppView next to the PDS's own createRecord; read-your-writes latency
#   ./bench.sh export [--quick]   Kafka → Iceberg export of 1M generated events next to reading the same topics without writing
#   ./bench.sh all    [--quick]   all of the above (--quick: small sizes, well under 10 minutes on 2 cores)
#
# Figures and how to read them: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")"
. .mvn/find-jdk.sh
what=${1:-}; quick=false; [ "${2:-}" = "--quick" ] && quick=true
mkdir -p target/bench

need_build() {
  local stamp=target/bench/.installed
  # (re)install when sources changed since the last install by this script (e.g. after a pull): the benchmarks run
  # one module against the installed siblings and the packaged jars
  [ -f local-stack/target/classes/local-stack.classpath ] && [ -f firehose-ingestor/target/quarkus-app/quarkus-run.jar ] \
    && [ -f identity-service/target/quarkus-app/quarkus-run.jar ] && [ -f "$stamp" ] \
    && [ -z "$(find pom.xml common-lexicon local-stack firehose-ingestor identity-service appview-api -path '*/target' -prune -o \
         -newer "$stamp" -type f \( -name '*.java' -o -name '*.properties' -o -name '*.sql' -o -name 'pom.xml' \) -print -quit)" ] \
    || { ./mvnw -q -B install -DskipTests && touch "$stamp"; }
}

ingest() {
  local events=300000; $quick && events=100000
  echo "== ingest (stand-in serves $events generated events)"
  { firehose-ingestor/bench/jetstream-bench.sh "$events" false; firehose-ingestor/bench/jetstream-bench.sh "$events" true; } \
    | tee target/bench/ingest.txt
}

index() {
  # the generated network with one indexer and with three replicas in one consumer group (the first run also rebuilds
  # into an empty schema and checks its checksums), then the hot spot the same way; each run beside its COPY ceiling
  local events=${INDEX_EVENTS:-1000000} hot=${HOT_EVENTS:-300000}; $quick && { events=20000; hot=20000; }
  local history workers rebuild n
  : > target/bench/index.txt
  for run in "synthetic 1 true" "synthetic 3 false" "hotspot 1 false" "hotspot 3 false"; do
    read -r history workers rebuild <<< "$run"
    n=$events; [ "$history" = hotspot ] && n=$hot
    echo "== index ($n events, history $history, $workers indexer replica(s) in one group)" | tee -a target/bench/index.txt
    ./mvnw -B -o -q -pl firehose-ingestor verify -DskipITs -Dtest=ReplayBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
      -Dcoves.bench.events="$n" -Dcoves.bench.history="$history" -Dcoves.bench.workers="$workers" \
      -Dcoves.bench.rebuild="$rebuild" 2>&1 | grep -E '^(\||replay|copy|ratio|BENCH)|events/s' | tee -a target/bench/index.txt
  done
}

api() {
  local posts=1000000 seconds=10 clients=100,500 jit=10; $quick && { posts=100000; seconds=3; clients=100; jit=5; }
  echo "== api ($posts posts, $clients concurrent clients, $seconds s per scenario)"
  rm -rf appview-api/target/bench/pglog   # the statement log of the mix's SQL capture (MixSqlCeiling)
  ./mvnw -B -o -q -pl appview-api verify -Dtest=ApiLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dcoves.bench.api=true -Dcoves.bench.posts="$posts" -Dcoves.bench.seconds="$seconds" -Dcoves.bench.clients="$clients" \
    -Dcoves.bench.jit-warmup-seconds="$jit" -Dcoves.bench.explain=true -Dcoves.postgres.json-log-dir="$(pwd)/appview-api/target/bench/pglog" ${COVES_BENCH_JFR:+-Dcoves.bench.jfr=true} 2>&1 | grep -E '^(\||seeded|API load|NOTE|  Limit|  Execution)' | tee target/bench/api.txt
  cp appview-api/target/bench/api.json target/bench/api.json 2>/dev/null || true
}

identity() {
  local identities=1000 seconds=10 warmup=5; $quick && { identities=100; seconds=2; warmup=1; }
  echo "== identity ($identities cached identities, 100 clients, $seconds s per scenario)"
  ./mvnw -B -o -q -pl identity-service -am test -Dtest=IdentityHttpBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dcoves.bench.identity=true -Dcoves.bench.identities="$identities" -Dcoves.bench.seconds="$seconds" \
    -Dcoves.bench.warmup-seconds="$warmup" ${COVES_BENCH_JFR:+-Dcoves.bench.jfr=true} 2>&1 \
    | grep -E '^(\||BENCH|JFR)' | tee target/bench/identity.txt
  cp identity-service/target/bench/identity.json target/bench/identity.json 2>/dev/null || true
}

e2e_freshness() {
  local probes=100 warmup=10 rate=${E2E_RATE:-2000}; $quick && { probes=30; warmup=5; }
  echo "== e2e-freshness ($probes probes while the stand-in serves $rate generated events/s)"
  ./mvnw -B -o -q -pl appview-api verify -Dtest=FreshnessBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dcoves.bench.freshness=true -Dcoves.bench.probes="$probes" -Dcoves.bench.rate="$rate" -Dcoves.bench.warmup-seconds="$warmup" \
    2>&1 | grep -E '^(\||freshness)' | tee target/bench/e2e-freshness.txt
  cp appview-api/target/bench/e2e-freshness.json target/bench/e2e-freshness.json 2>/dev/null || true
}

writes() {
  local per_level=300 rounds=3; $quick && { per_level=60; rounds=2; }
  [ -d local-stack/pds/node_modules ] || (cd local-stack/pds && npm ci --no-audit --no-fund)
  echo "== writes ($per_level posts per level each way, 1/10/50 concurrent authors, real PDS of local-stack/pds)"
  ./mvnw -B -o -q -pl appview-api verify -Dtest=WriteBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dcoves.bench.writes=true -Dcoves.bench.writes-per-level="$per_level" -Dcoves.bench.rounds="$rounds" 2>&1 \
    | grep -E '^(\||writes)' | tee target/bench/writes.txt
  cp appview-api/target/bench/writes.json target/bench/writes.json 2>/dev/null || true
}

sealed_writes() {
  local per_level=120; $quick && per_level=30
  [ -d local-stack/pds/node_modules ] || (cd local-stack/pds && npm ci --no-audit --no-fund)
  echo "== sealed-writes ($per_level comments per level each way, 1/5 users signed in through the PDS's pages, real PDS)"
  ./mvnw -B -o -q -pl appview-api test -Dtest=SealedSessionWriteBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dcoves.bench.sealed-writes=true -Dcoves.bench.sealed-writes-per-level="$per_level" 2>&1 \
    | grep -E '^(\||sealed-writes)' | tee target/bench/sealed-writes.txt
}

export_bench() {
  local events=1000000; $quick && events=200000
  echo "== export ($events generated events → Iceberg tables of zstd Parquet, next to a read-only consumer)"
  ./mvnw -B -o -q -pl firehose-ingestor test -Dtest=ExportBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dcoves.bench.export-events="$events" 2>&1 | grep -E '^(\||read|export)' | tee target/bench/export.txt
}

case "$what" in
  ingest) need_build; ingest ;;
  index) need_build; index ;;
  api) need_build; api ;;
  identity) identity ;;
  e2e-freshness) need_build; e2e_freshness ;;
  writes) need_build; writes ;;
  sealed-writes) need_build; sealed_writes ;;
  export) need_build; export_bench ;;
  all) need_build; ingest; index; api; identity; e2e_freshness; writes; export_bench ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
