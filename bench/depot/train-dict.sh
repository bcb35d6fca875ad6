#!/usr/bin/env bash
# Retrains the zstd dictionary for stored report JSON from the test logs: the real-format samples in
# testdata/logs and testdata/demo, and a fifth of the generated clustering corpus. A new dictionary
# must get a new codec number in ReportStore (JsonCodec): stored values name the one they were made with.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-depot/src/main/resources/dev/ktriage/depot/store/report-json-1.dict}"
JAVA="$(.mvn/find-jdk)/bin/java"
tmp=$(mktemp)
./ktriage parse --format jsonl $(find testdata/logs testdata/demo -type f -name '*.log' | sort) \
  $(ls testdata/clusters/logs/*.log | awk 'NR % 5 == 0') > "$tmp" 2>/dev/null || true
ZSTD=$(find ~/.m2/repository/com/github/luben/zstd-jni -name 'zstd-jni-*.jar' | sort -V | tail -1)
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$ZSTD" bench/depot/TrainJsonDictionary.java "$tmp" "$out" 16384
rm -f "$tmp"
