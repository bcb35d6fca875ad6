#!/usr/bin/env bash
# Depot benchmark: ingest N reports into a fresh store, then 1,000 searches and 1,000 similar lookups.
# Usage: bench/depot/run.sh [--reports 100000] [--bugs 5000] [--store /tmp/ktriage-bench-store]
# Builds depot and its test classes (the corpus generator and the small log reader the bench reuses).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -pl depot -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
JAVA="$(.mvn/find-jdk)/bin/java"
CP="depot/target/classes:depot/target/test-classes:$(cat depot/target/cp.txt)"
exec "$JAVA" ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -Xmx8g -XX:+UseParallelGC -cp "$CP" bench/depot/DepotBench.java "$@"
