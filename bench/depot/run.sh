#!/usr/bin/env bash
# Depot benchmark: ingest N reports into a fresh store, then 1,000 searches and 1,000 similar lookups.
# Usage: bench/depot/run.sh [--reports 100000] [--bugs 5000] [--threads 2] [--store DIR] [--query-only]
#        [--opensearch URL[,URL...] --prefix P [--part K/M] [--no-query]]  (bench/opensearch/run.sh uses these)
# Builds depot (with its test classes: the corpus generator) and cli
# and runs from a private copy of them, so rebuilding the worktree during a long run cannot break it.
# The JVM runs with the options of `ktriage ingest` (cli/jvm/ingest.options, as the launcher does); JAVA_OPTS adds options.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then # set by bench/opensearch/run.sh after its first run built everything
  ./mvnw -q -pl depot,cli -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
fi
JAVA="$(.mvn/find-jdk)/bin/java"
SNAP="$(mktemp -d /tmp/ktriage-bench-classes.XXXXXX)"
cp -r depot/target/classes "$SNAP/main"
cp -r depot/target/test-classes "$SNAP/test"
cp -r model/target/classes "$SNAP/model"
cp -r report-json/target/classes "$SNAP/report-json"
cp -r grammar/target/classes "$SNAP/grammar"
cp -r symbolizer/target/classes "$SNAP/symbolizer"
cp -r cli/target/classes "$SNAP/cli"
cp -r store-opensearch/target/classes "$SNAP/store-opensearch"
cp bench/depot/DepotBench.java "$SNAP/"
DEPS="$(cat depot/target/cp.txt cli/target/cp.txt | tr ':' '\n' | grep -v '/target/classes$' | grep -v '/target/test-classes$' | sort -u | paste -sd:)"
CP="$SNAP/main:$SNAP/test:$SNAP/model:$SNAP/report-json:$SNAP/grammar:$SNAP/symbolizer:$SNAP/cli:$SNAP/store-opensearch:$DEPS"
# shellcheck source=cli/jvm/options.sh
. cli/jvm/options.sh
ktriage_jvm_options ingest "$PWD/cli/jvm"
INGEST_OPTS="${KTRIAGE_JVM_OPTIONS[*]}"
echo "load before: $(uptime)" >&2
echo "JVM options: ${INGEST_OPTS} ${JAVA_OPTS:-}" >&2
# shellcheck disable=SC2086
"$JAVA" ${INGEST_OPTS} ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "$CP" "$SNAP/DepotBench.java" "$@"
echo "load after: $(uptime)" >&2
