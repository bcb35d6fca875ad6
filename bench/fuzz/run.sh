#!/usr/bin/env bash
# Fuzzes one Jazzer @FuzzTest harness for a given time and appends its figures to bench/fuzz/RESULTS.md.
#
# Usage: bench/fuzz/run.sh HARNESS [SECONDS]      (default 3600)
#        bench/fuzz/run.sh --list
# HARNESS is module:Class#method, e.g. grammar:LogParserFuzzTest#mutatedTestdataLogs.
#
# Runs Jazzer's own driver (all libFuzzer flags, a time limit of our choosing) on the module's test
# classes, with coverage instrumentation and sanitizer hooks on (a normal build runs the harnesses over
# their saved inputs only; see the modules' junit-platform.properties). The generated corpus is kept
# in target/fuzz-corpus/ (not committed), seeded with the testdata logs for the harnesses that take
# logs; a crashing input is written to the harness's Inputs directory under src/test/resources, where
# the normal build runs it as a regression test: commit it with its fix.
# Run it under `flock /work/bench.lock` (one campaign at a time on a shared machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

HARNESSES=(
  grammar:LogParserFuzzTest#anyBytes
  grammar:LogParserFuzzTest#mutatedTestdataLogs
  grammar:FrameSyntaxFuzzTest#anyLine
  report-json:ReportJsonFuzzTest#anyJson
  report-json:ReportJsonFuzzTest#editedReportJson
  report-json:ReportJsonFuzzTest#parsedReportsRoundTrip
)
if [ "${1:-}" = "--list" ] || [ $# -lt 1 ]; then
  printf '%s\n' "${HARNESSES[@]}"
  [ $# -ge 1 ] || exit 2
  exit 0
fi
HARNESS=$1
SECONDS_LIMIT=${2:-3600}
MODULE=${HARNESS%%:*}
CLASS=${HARNESS#*:}; CLASS=${CLASS%%#*}
METHOD=${HARNESS#*#}
case $MODULE in
  grammar) PKG=dev.ktriage.grammar.fuzz ;;
  report-json) PKG=dev.ktriage.reportjson ;;
  *) echo "unknown module $MODULE" >&2; exit 2 ;;
esac

./mvnw -q -pl "$MODULE" -am test-compile dependency:build-classpath -Dmdep.outputFile=target/fuzz-cp.txt -Dmdep.includeScope=test
JAVA="$(.mvn/find-jdk)/bin/java"
# a private copy of the classes, so that rebuilding the worktree during a long run cannot break it
SNAP="$(mktemp -d /tmp/ktriage-fuzz-classes.XXXXXX)"
cp -r "$MODULE/target/test-classes" "$SNAP/test"
CP="$SNAP/test"
for m in model grammar report-json; do cp -r "$m/target/classes" "$SNAP/$m"; CP="$CP:$SNAP/$m"; done
CP="$CP:$(cat "$MODULE/target/fuzz-cp.txt")"

CORPUS="$ROOT/$MODULE/target/fuzz-corpus/$CLASS/$METHOD"
mkdir -p "$CORPUS"
case $METHOD in
  anyBytes|parsedReportsRoundTrip)
    find testdata/logs -name '*.log' -size -60k -exec cp -n {} "$CORPUS/" \; ;;
  anyJson)
    find testdata/logs -name '*.json' -size -60k | while read -r f; do
      # goldens hold an array of reports: seed with each file as it is (a reader must refuse or read it)
      cp -n "$f" "$CORPUS/"
    done ;;
esac
INPUTS="$ROOT/$MODULE/src/test/resources/${PKG//.//}/${CLASS}Inputs/$METHOD"
mkdir -p "$INPUTS"
before=$(find "$INPUTS" -type f | wc -l)

LOG="$ROOT/$MODULE/target/fuzz-$CLASS-$METHOD-$(date -u +%Y%m%dT%H%M%SZ).log"
LOAD_BEFORE=$(uptime | sed 's/.*load average: //')
START=$(date -u +%Y-%m-%dT%H:%MZ)
echo "fuzzing $HARNESS for $SECONDS_LIMIT s; log $LOG" >&2
set +e
(cd "$MODULE" && "$JAVA" -Xmx1g -XX:+EnableDynamicAgentLoading --enable-native-access=ALL-UNNAMED \
  -Djazzer.instrument=true -Djazzer.hooks=true -Dktriage.root="$ROOT" -cp "$CP" \
  com.code_intelligence.jazzer.Jazzer --target_class="$PKG.$CLASS" --target_method="$METHOD" \
  --instrumentation_includes='dev.ktriage.**' --keep_going=100 \
  -max_total_time="$SECONDS_LIMIT" -max_len=65536 -timeout=30 -print_final_stats=1 \
  "$CORPUS") > "$LOG" 2>&1
RC=$?
set -e
LOAD_AFTER=$(uptime | sed 's/.*load average: //')
after=$(find "$INPUTS" -type f | wc -l)
last=$(grep -E '^#[0-9]+' "$LOG" | tail -1)
execs=$(grep -E '^stat::number_of_executed_units' "$LOG" | tail -1 | awk '{print $2}')
cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p')
eps=$(echo "$last" | sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p')
findings=$((after - before))
line="| $START | \`$HARNESS\` | $SECONDS_LIMIT s | ${execs:-?} | ${eps:-?} | ${cov:-?} / ${ft:-?} | ${corp:-?} | $findings | exit $RC | $LOAD_BEFORE → $LOAD_AFTER |"
echo "$line"
echo "$line" >> bench/fuzz/RESULTS.md
rm -rf "$SNAP"
if [ "$findings" -gt 0 ]; then
  echo "new findings in $INPUTS:" >&2
  find "$INPUTS" -type f -newer "$LOG" >&2 || true
fi
