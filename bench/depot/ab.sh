#!/usr/bin/env bash
# A/B of the store: bench/depot/run.sh of two source trees, interleaved (A B A B ...), so both see the same
# minutes of a shared machine; prints each run's CPU-per-report lines beside the load.
# Usage: bench/depot/ab.sh TREE_A TREE_B [ROUNDS (3)] [run.sh arguments (--reports 100000 --no-query)]
#   Each tree is built first (outside the timed runs; AB_SKIP_BUILD=1 when both are built already); take
#   /work/bench.lock around the whole script.
#   A tree is a checkout or a `git archive` of a commit: git archive main | tar -x -C /tmp/a
set -euo pipefail
a=$(cd "$1" && pwd)
b=$(cd "$2" && pwd)
rounds=${3:-3}
shift $(( $# >= 3 ? 3 : $# ))
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--reports 100000 --no-query)
for t in "$a" "$b"; do
  [ -z "${AB_SKIP_BUILD:-}" ] || break # both trees built already (their run.sh would build otherwise)
  (cd "$t" && ./mvnw -q -pl depot,cli -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
    -Dmdep.includeScope=test >&2)
done
for r in $(seq "$rounds"); do
  for t in "$a" "$b"; do
    echo "== round $r: $t ($(git -C "$t" rev-parse --short HEAD 2>/dev/null || echo archive)) at $(date -u +%H:%M:%S)"
    (cd "$t" && BENCH_SKIP_BUILD=1 bench/depot/run.sh "${args[@]}" 2>&1) \
      | grep -E 'load (before|after)|CPU per report|of the other threads|what ktriage ingest pays|^ingest|^store:|^parse' \
      || echo "run failed: $t"
  done
done
