#!/usr/bin/env bash
# Depot benchmark: ingest N reports into a fresh store, then 1,000 searches and 1,000 similar lookups.
# Usage: bench/depot/run.sh [--reports 100000] [--bugs 5000] [--threads 2] [--store DIR] [--query-only]
# Builds depot and its test classes (the corpus generator and the small log reader the bench reuses) and
# runs from a private copy of them, so rebuilding the worktree during a long run cannot break it.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -pl depot -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
JAVA="$(.mvn/find-jdk)/bin/java"
SNAP="$(mktemp -d /tmp/ktriage-bench-classes.XXXXXX)"
cp -r depot/target/classes "$SNAP/main"
cp -r depot/target/test-classes "$SNAP/test"
cp -r grammar/target/classes "$SNAP/grammar"
cp bench/depot/DepotBench.java "$SNAP/"
CP="$SNAP/main:$SNAP/test:$SNAP/grammar:$(tr ':' '\n' < depot/target/cp.txt | grep -v '/grammar/target/classes' | paste -sd:)"
exec "$JAVA" ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -Xmx8g -XX:+UseParallelGC -cp "$CP" "$SNAP/DepotBench.java" "$@"
