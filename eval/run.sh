#!/usr/bin/env bash
# Clustering evaluation on the real KUnit reports in ../shared/corpus/kunit (see eval/kunit.py):
# B-cubed and pairwise P/R/F1 of `ktriage ingest` + `clusters`, without and with --vmlinux-dir, beside the
# title and 3-frame baselines; leave-one-out top-1 of `similar`; order independence; metamorphic variants.
#   eval/run.sh [CORPUS]          CORPUS default ../shared/corpus/kunit
# Rerunnable from a fresh clone: builds the jar, unpacks the corpus's xz vmlinux files into a temp dir
# for the symbolized run (about 270 MB, removed at the end) and stores everything else in a temp dir too.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/kunit}
if [ ! -f "$corpus/labels-kunit.jsonl" ]; then
  echo "eval/run.sh: no KUnit corpus at $corpus (labels-kunit.jsonl); nothing to evaluate" >&2
  exit 2
fi
./mvnw -q -pl cli -am package -DskipTests
./mvnw -q -pl depot -am compile dependency:build-classpath -Dmdep.outputFile=target/eval-cp.txt -Dmdep.includeScope=runtime
JAVA="$(.mvn/find-jdk)/bin/java"
CP="depot/target/classes:$(cat depot/target/eval-cp.txt)"
work="$(mktemp -d /tmp/ktriage-eval.XXXXXX)"
trap 'rm -rf "$work"' EXIT
vm=()
if ./ktriage ingest --help 2>&1 | grep -q -- --vmlinux-dir; then
  mkdir -p "$work/vmlinux"
  for x in "$corpus"/vmlinux-*.xz; do
    [ -e "$x" ] || continue
    xz -dc "$x" > "$work/vmlinux/$(basename "$x" .xz)"
  done
  vm=(--vmlinux-dir "$work/vmlinux")
else
  echo "eval/run.sh: this ktriage has no ingest --vmlinux-dir; symbolized run skipped" >&2
fi
echo "load before: $(uptime)"
python3 eval/kunit.py ./ktriage "$corpus" "${vm[@]}" --java "$JAVA" --cp "$CP" --work "$work/run"
echo "score_clusters.py on the same logs (default ingest, 2 workers):"
python3 ../shared/tools/score_clusters.py ./ktriage "$corpus/labels-kunit.jsonl" "$corpus" --min 0 | grep -E "ktriage|baseline|state"
if [ ${#vm[@]} -gt 0 ]; then
  python3 ../shared/tools/score_clusters.py ./ktriage "$corpus/labels-kunit.jsonl" "$corpus" "${vm[@]}" --min 0 | grep -E "^ktriage"
fi
echo "load after: $(uptime)"
