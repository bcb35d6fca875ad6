#!/usr/bin/env bash
# What the store makes of a fixed set of reports (StoreDigest.java), to compare two builds byte for byte:
#   bench/depot/digest.sh > a.txt   (in each tree; BENCH_SKIP_BUILD=1 reuses its build), then diff the two.
# Usage: bench/depot/digest.sh [GENERATED_LOGS (400)]
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  ./mvnw -q -pl depot,cli -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test >&2
fi
JAVA="$(.mvn/find-jdk)/bin/java"
DEPS="$(cat depot/target/cp.txt cli/target/cp.txt | tr ':' '\n' | grep -v '/target/classes$' | grep -v '/target/test-classes$' | sort -u | paste -sd:)"
CP="depot/target/classes:depot/target/test-classes:model/target/classes:report-json/target/classes:grammar/target/classes:symbolizer/target/classes:$DEPS"
STORE="$(mktemp -d /tmp/ktriage-digest.XXXXXX)"
trap 'rm -rf "$STORE"' EXIT
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CP" bench/depot/StoreDigest.java "$PWD" "$PWD/../shared" "$STORE/s" "${1:-400}"
