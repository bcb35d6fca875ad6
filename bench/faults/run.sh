#!/usr/bin/env bash
# The whole store fault matrix (cli/src/test/.../faults/StoreFaultMatrix.java): every file of a real store
# (each Lucene extension, segments_N, the depot files) damaged five ways (a byte flipped in its header,
# body and checksum; cut in half; deleted), times every store command. The build runs a seeded sample
# (StoreFaultMatrixTest); this runs all of it and prints one line per failure and a summary.
# Usage: bench/faults/run.sh      (under `flock /work/bench.lock`; a few minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -pl cli -am test-compile dependency:build-classpath -Dmdep.outputFile=target/faults-cp.txt -Dmdep.includeScope=test
JAVA="$(.mvn/find-jdk)/bin/java"
CP="cli/target/test-classes:cli/target/classes"
for m in model report-json grammar symbolizer depot; do CP="$CP:$m/target/classes"; done
CP="$CP:$(cat cli/target/faults-cp.txt)"
echo "load before: $(uptime)" >&2
"$JAVA" --enable-native-access=ALL-UNNAMED -Dktriage.root="$PWD" -cp "$CP" dev.ktriage.cli.faults.StoreFaultMatrix
echo "load after: $(uptime)" >&2
