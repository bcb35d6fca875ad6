#!/usr/bin/env bash
# OpenSearch store benchmark against the real distribution: unpacks org.opensearch.distribution.integ-test-zip
# (from Maven Central through ./mvnw), starts 3 nodes on loopback as a non-root user (OpenSearch refuses root),
# runs ktriage end to end against them (ingest, clusters, search, merge of ../shared/corpus/kunit through
# ./ktriage), then bench/depot's harness into the cluster with 1 and with 2 ingest processes, and the same
# harness into the embedded store for the side-by-side figures. Stops the nodes at the end.
# Usage: bench/opensearch/run.sh [--reports 20000] [--heap 384m] [--version 3.7.0] [--anchor TREE] [--query-reports M]
#   --anchor TREE: also one ingester of the same reports with another commit's store (a checkout TREE, built with
#     `./mvnw -q -o -pl depot,cli -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
#     -Dmdep.includeScope=test`), into the same nodes, for a same-run ratio
#   --query-reports M: at the end, a store of M reports (one ingester) and the embedded store of the same M,
#     each then queried (search and similar p50/p99)
# (the nodes themselves: bench/opensearch/nodes.sh, which also keeps them up between runs when called alone)
# Run it under `flock /work/bench.lock` on a shared machine; results go to bench/opensearch/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
REPORTS=20000
HEAP=384m
VERSION=3.7.0
ANCHOR=
QUERY_REPORTS=
while [ $# -gt 0 ]; do
  case "$1" in
    --reports) REPORTS="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --version) VERSION="$2"; shift 2 ;;
    --anchor) ANCHOR="$2"; shift 2 ;;
    --query-reports) QUERY_REPORTS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
WORK="$(mktemp -d /tmp/ktriage-opensearch-bench.XXXXXX)"
stop_nodes() {
  bench/opensearch/nodes.sh stop "$WORK"
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
# CPU seconds the three nodes have used so far, for CPU per report on the server side
node_cpu() {
  bench/opensearch/nodes.sh cpu "$WORK"
}
trap stop_nodes EXIT
URLS="$(bench/opensearch/nodes.sh start "$WORK" --heap "$HEAP" --version "$VERSION")"

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
if [ -n "$ANCHOR" ]; then
  echo "== 1 ingester of the anchor $(git -C "$ANCHOR" log --oneline -1 2>/dev/null || echo "$ANCHOR") into the cluster: $(uptime)"
  C0=$(node_cpu)
  (cd "$ANCHOR" && BENCH_SKIP_BUILD=1 bench/depot/run.sh --reports "$REPORTS" --opensearch "$URLS" --prefix ktanchor --no-query)
  C1=$(node_cpu)
  echo "nodes' CPU during the anchor's ingest: $(echo "$C1 - $C0" | bc) s = $(echo "($C1 - $C0) * 1000000 / $REPORTS" | bc) us per report"
fi
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
if [ -n "$QUERY_REPORTS" ]; then
  echo "== $QUERY_REPORTS reports, 1 ingester, then queries: $(uptime)"
  C0=$(node_cpu)
  bench/depot/run.sh --reports "$QUERY_REPORTS" --opensearch "$URLS" --prefix ktbig
  C1=$(node_cpu)
  echo "nodes' CPU during the ingest: $(echo "$C1 - $C0" | bc) s = $(echo "($C1 - $C0) * 1000000 / $QUERY_REPORTS" | bc) us per report"
  curl -fsS "http://127.0.0.1:9250/_cat/indices/ktbig-*?v&h=index,docs.count,pri.store.size,store.size"
  echo "== embedded store, $QUERY_REPORTS reports, then queries: $(uptime)"
  bench/depot/run.sh --reports "$QUERY_REPORTS" --store "$WORK/embedded-big"
fi
echo "== done: $(uptime)"
