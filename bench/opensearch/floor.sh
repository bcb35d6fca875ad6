#!/usr/bin/env bash
# The ingest floor of the OpenSearch store: what 3 nodes spend per report document when they are sent nothing
# but _bulk creates of ktriage's own report documents (BulkLoad --reports-only: the store's documents, mapping
# and template), under several batch sizes and index settings, then ktriage's whole ingest (bench/depot's
# harness, per-report clustering and commits) of the same reports in the same run, then the whole store
# written by BulkLoad (reports + stacks + clusters + keys, clusters by exact key only).
# Usage: bench/opensearch/floor.sh [--reports 20000] [--heap 384m] [--work DIR (nodes already started there)]
#          [--only floor|ingest]  (the reports-only runs, or ktriage's ingest and the whole store: two lock holds)
# Run it under `flock /work/bench.lock`; results go to bench/opensearch/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPORTS=20000
HEAP=384m
WORK=
ONLY=
while [ $# -gt 0 ]; do
  case "$1" in
    --reports) REPORTS="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
OWN_NODES=
if [ -z "$WORK" ]; then
  WORK="$(mktemp -d /tmp/ktriage-opensearch-floor.XXXXXX)"
  OWN_NODES=1
fi
. bench/opensearch/bulkload.sh # bulk_load: BulkLoad.java compiled against this worktree (builds it first)
stop_nodes() {
  if [ -n "$OWN_NODES" ]; then
    bench/opensearch/nodes.sh stop "$WORK"
    rm -rf "$WORK"
  fi
}
trap stop_nodes EXIT
if [ -n "$OWN_NODES" ]; then
  URLS="$(bench/opensearch/nodes.sh start "$WORK" --heap "$HEAP")"
else
  URLS="http://127.0.0.1:9250,http://127.0.0.1:9251,http://127.0.0.1:9252"
fi
drop() { # deletes a store's indices (by name: wildcard deletes may be refused)
  for i in $(curl -fsS "http://127.0.0.1:9250/_cat/indices/$1-*?h=index"); do
    curl -fsS -XDELETE "http://127.0.0.1:9250/$i" > /dev/null
  done
}
run=0
floor() { # floor PER SETTINGS [REPLICAS]
  run=$((run + 1))
  echo "== $(date -u +%H:%M:%S) reports only, $1 a request, {$2}, replicas ${3:-1}: $(uptime)"
  bulk_load --urls "$URLS" --prefix "ktfloor$run" --reports "$REPORTS" --per "$1" --settings "$2" \
    --replicas "${3:-1}" --reports-only || echo "(failed: see above)"
  drop "ktfloor$run"
}
if [ "$ONLY" != ingest ]; then
# the nodes' JIT warm-up, not counted
bulk_load --urls "$URLS" --prefix ktwarm --reports "$REPORTS" --to $((REPORTS / 4)) --per 1000 --reports-only > /dev/null
drop ktwarm
floor 1000 ''
floor 3000 ''
floor 1000 '"refresh_interval":"-1"'
floor 1000 '"refresh_interval":"-1","translog.durability":"async"'
floor 1000 '"refresh_interval":"-1","replication.type":"SEGMENT"'
floor 1000 '"refresh_interval":"-1"' 0
fi
if [ "$ONLY" != floor ]; then
floor 1000 '' # the floor beside the ingest, on nodes warm from earlier runs
echo "== $(date -u +%H:%M:%S) ktriage's whole ingest (bench/depot harness, 2 threads, commit every 5,000): $(uptime)"
C0=$(bench/opensearch/nodes.sh cpu "$WORK")
BENCH_SKIP_BUILD=1 bench/depot/run.sh --reports "$REPORTS" --opensearch "$URLS" --prefix ktfull --no-query
C1=$(bench/opensearch/nodes.sh cpu "$WORK")
echo "the nodes' CPU during the ingest: $(echo "($C1 - $C0) * 1000 / $REPORTS" | bc -l | cut -c1-6) ms a report"
drop ktfull
echo "== $(date -u +%H:%M:%S) the whole store by BulkLoad (exact-key clusters), 1000 a request: $(uptime)"
bulk_load --urls "$URLS" --prefix ktwhole --reports "$REPORTS" --per 1000
drop ktwhole
fi
echo "== done $(date -u +%H:%M:%S): $(uptime)"
