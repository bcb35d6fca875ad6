#!/usr/bin/env bash
# Search and similar at 100k and 1M reports on the OpenSearch store, in a time that fits: the store is written
# by BulkLoad (the store's own report documents, stacks, cluster counters and keys; clusters by exact key
# only, no per-report clustering), in chunks so that the benchmark lock can be released between them, with
# replicas 0 and no refreshes while loading; replicas 1 before any query. Queries: bench/depot's harness
# (--query-only: 1,000 searches with the depot's mix, 1,000 similar).
# Usage (nodes kept up by bench/opensearch/nodes.sh start WORK):
#   bench/opensearch/bigstore.sh load PREFIX FROM TO    reports FROM..TO-1 of DepotBench's --reports 1000000
#   bench/opensearch/bigstore.sh ready PREFIX           replicas 1, refresh 30 s, waits for green, merges
#   bench/opensearch/bigstore.sh query PREFIX N         the query harness on it (N: the store's report count)
# Run each step under `flock /work/bench.lock`; results go to bench/opensearch/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."
URLS="http://127.0.0.1:9250,http://127.0.0.1:9251,http://127.0.0.1:9252"
CMD="${1:?load|ready|query}"
PREFIX="${2:?prefix}"
echo "== $(date -u +%H:%M:%S) $*: $(uptime)"
case "$CMD" in
  load)
    . bench/opensearch/bulkload.sh
    bulk_load --urls "$URLS" --prefix "$PREFIX" --reports 1000000 --from "${3:?from}" --to "${4:?to}" --per 1000 \
      --replicas 0 --settings '"refresh_interval":"-1"' ;;
  ready)
    curl -fsS -XPUT -H 'Content-Type: application/json' "http://127.0.0.1:9250/$PREFIX-reports-*/_settings" \
      -d '{"index":{"number_of_replicas":1,"refresh_interval":"30s"}}'; echo
    curl -fsS -XPUT -H 'Content-Type: application/json' "http://127.0.0.1:9250/$PREFIX-clusters,$PREFIX-keys,$PREFIX-stacks/_settings" \
      -d '{"index":{"number_of_replicas":1}}'; echo
    curl -fsS -XPOST "http://127.0.0.1:9250/$PREFIX-*/_refresh" > /dev/null
    curl -fsS "http://127.0.0.1:9250/_cluster/health/$PREFIX-*?wait_for_status=green&timeout=600s" | cut -c1-200; echo
    curl -fsS "http://127.0.0.1:9250/_cat/indices/$PREFIX-*?v&h=index,docs.count,pri.store.size,store.size,segments.count" ;;
  query)
    BENCH_SKIP_BUILD=1 bench/depot/run.sh --reports "${3:?reports}" --opensearch "$URLS" --prefix "$PREFIX" --query-only ;;
  *) echo "unknown command $CMD" >&2; exit 2 ;;
esac
echo "== $(date -u +%H:%M:%S) done: $(uptime)"
