#!/usr/bin/env bash
# OpenSearch store benchmark against the real distribution: unpacks org.opensearch.distribution.integ-test-zip
# (from Maven Central through ./mvnw), starts 3 nodes on loopback as a non-root user (OpenSearch refuses root),
# runs ktriage end to end against them (ingest, clusters, search, merge of ../shared/corpus/kunit through
# ./ktriage), then bench/depot's harness into the cluster with 1 and with 2 ingest processes, and the same
# harness into the embedded store for the side-by-side figures. Stops the nodes at the end.
# Usage: bench/opensearch/run.sh [--reports 20000] [--heap 384m] [--version 3.7.0]
# Run it under `flock /work/bench.lock` on a shared machine; results go to bench/opensearch/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
REPORTS=20000
HEAP=384m
VERSION=3.7.0
while [ $# -gt 0 ]; do
  case "$1" in
    --reports) REPORTS="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --version) VERSION="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
JDK="$(.mvn/find-jdk)"
ZIP="$HOME/.m2/repository/org/opensearch/distribution/integ-test-zip/opensearch/$VERSION/opensearch-$VERSION.zip"
if [ ! -f "$ZIP" ]; then
  ./mvnw -q dependency:get -Dartifact="org.opensearch.distribution.integ-test-zip:opensearch:$VERSION:zip" -Dtransitive=false
fi
WORK="$(mktemp -d /tmp/ktriage-opensearch-bench.XXXXXX)"
chmod 755 "$WORK"
RUNAS=()
if [ "$(id -u)" = 0 ]; then
  id ktriage-os >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin ktriage-os
  RUNAS=(runuser -u ktriage-os --)
fi
( cd "$WORK" && unzip -q "$ZIP" )
DIST="$WORK/opensearch-$VERSION"
SEEDS="127.0.0.1:9330,127.0.0.1:9331,127.0.0.1:9332"
URLS="http://127.0.0.1:9250,http://127.0.0.1:9251,http://127.0.0.1:9252"
stop_nodes() {
  for i in 0 1 2; do
    [ -f "$WORK/node-$i/pid" ] && kill "$(cat "$WORK/node-$i/pid")" 2>/dev/null || true
  done
  for i in 0 1 2; do # never leave a node running: SIGKILL what has not stopped after 60 s
    if [ -f "$WORK/node-$i/pid" ]; then
      pid="$(cat "$WORK/node-$i/pid")"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
# CPU seconds the three nodes have used so far (utime + stime from /proc), for CPU per report on the server side
node_cpu() {
  local total=0 i f
  for i in 0 1 2; do
    f=($(cut -d')' -f2- "/proc/$(cat "$WORK/node-$i/pid")/stat"))
    total=$((total + f[11] + f[12]))
  done
  echo "scale=1; $total / $(getconf CLK_TCK)" | bc
}
trap stop_nodes EXIT
for i in 0 1 2; do
  N="$WORK/node-$i"
  mkdir -p "$N/data" "$N/logs"
  cp -r "$DIST/config" "$N/config"
  cat >> "$N/config/opensearch.yml" <<YML
cluster.name: ktriage-bench
node.name: node-$i
path.data: $N/data
path.logs: $N/logs
network.host: 127.0.0.1
http.port: 925$i
transport.port: 933$i
discovery.seed_hosts: [$SEEDS]
cluster.initial_cluster_manager_nodes: [node-0, node-1, node-2]
cluster.routing.allocation.disk.threshold_enabled: false
YML
  sed -i -e "s/^-Xms.*/-Xms$HEAP/" -e "s/^-Xmx.*/-Xmx$HEAP/" "$N/config/jvm.options"
done
if [ "${#RUNAS[@]}" -gt 0 ]; then chown -R ktriage-os "$WORK"; fi
for i in 0 1 2; do
  N="$WORK/node-$i"
  env OPENSEARCH_PATH_CONF="$N/config" OPENSEARCH_JAVA_HOME="$JDK" "${RUNAS[@]}" "$DIST/bin/opensearch" -d -p "$N/pid" \
    > "$N/start.out" 2>&1
done
echo "waiting for green: $(uptime)" >&2
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:9250/_cluster/health?wait_for_status=green&timeout=5s" 2>/dev/null | grep -q '"status":"green"'; then
    break
  fi
  sleep 5
done
curl -fsS "http://127.0.0.1:9250/_cat/nodes?v&h=name,version,heap.max,node.role" >&2
for i in 0 1 2; do
  echo "node-$i RSS: $(ps -o rss= -p "$(cat "$WORK/node-$i/pid")") KB" >&2
done

# end to end through ./ktriage (the product's launcher): the KUnit corpus, then the checks a user would run
KUNIT="$ROOT/../shared/corpus/kunit"
if [ -d "$KUNIT" ]; then
  export KTRIAGE_STORE="$URLS"
  ./ktriage ingest --no-progress "$KUNIT"/*.log
  ./ktriage clusters | tail -3
  ./ktriage search --limit 3 'tool:kcsan'
  ./ktriage merge | tail -1
  unset KTRIAGE_STORE
else
  echo "no $KUNIT: end-to-end checks skipped" >&2
fi

# the harness: one ingest process, then two into a fresh prefix, then the embedded store on the same data
echo "== 1 ingester into the cluster: $(uptime)"
C0=$(node_cpu)
bench/depot/run.sh --reports "$REPORTS" --opensearch "$URLS" --prefix ktbench1 --no-query
C1=$(node_cpu)
echo "nodes' CPU during the ingest: $(echo "$C1 - $C0" | bc) s = $(echo "($C1 - $C0) * 1000000 / $REPORTS" | bc) us per report"
du -sb "$WORK"/node-*/data | awk '{s+=$1} END {printf "nodes'"'"' data directories (KUnit + this store, replicas included): %.1f MB\n", s/1e6}'
echo "== queries at $REPORTS reports (1 ingester's store): $(uptime)"
BENCH_SKIP_BUILD=1 bench/depot/run.sh --reports "$REPORTS" --opensearch "$URLS" --prefix ktbench1 --query-only
echo "== 2 ingesters into the cluster: $(uptime)"
export BENCH_SKIP_BUILD=1
C0=$(node_cpu)
T0=$(date +%s.%N)
bench/depot/run.sh --reports "$REPORTS" --opensearch "$URLS" --prefix ktbench2 --part 0/2 --no-query > "$WORK/part0.out" 2>&1 &
P0=$!
bench/depot/run.sh --reports "$REPORTS" --opensearch "$URLS" --prefix ktbench2 --part 1/2 --no-query > "$WORK/part1.out" 2>&1
wait "$P0"
T1=$(date +%s.%N)
C1=$(node_cpu)
grep -h "^ingest\|^store\|after parsing" "$WORK/part0.out" "$WORK/part1.out"
echo "2 ingesters together: $REPORTS reports in $(echo "$T1 - $T0" | bc) s = $(echo "$REPORTS / ($T1 - $T0)" | bc) reports/s (from the first start to the last end, JVM starts included)"
echo "nodes' CPU during the ingest: $(echo "$C1 - $C0" | bc) s = $(echo "($C1 - $C0) * 1000000 / $REPORTS" | bc) us per report"
curl -fsS "http://127.0.0.1:9250/ktbench2-reports-*/_count"; echo
echo "== embedded store, same data: $(uptime)"
bench/depot/run.sh --reports "$REPORTS" --store "$WORK/embedded"
echo "== done: $(uptime)"
