#!/usr/bin/env bash
# Runs the Jazzer fuzz tests (@FuzzTest, listed in bench/fuzz/harnesses.txt) in fuzzing mode, each
# for a given time, one after the other:
#
#   bench/fuzz/run.sh [SECONDS] [PATTERN...]     # default 600 s each; PATTERN selects harnesses (grep -e)
#   bench/fuzz/run.sh --seeds                    # rewrites the symbolizer's seed inputs (FuzzSeeds)
#
# Each harness starts from its saved inputs (the regression inputs under src/test/resources, which
# `./mvnw verify` replays) and its corpus from earlier runs (bench/work/fuzz/<harness>/corpus,
# git-ignored). A finding is written into the saved inputs (crash-<sha1>, so the regression run
# replays it from then on: fix it, commit both) and fuzzing goes on (up to 10 findings). Through the
# Jazzer command line (com.code_intelligence.jazzer.Jazzer), which takes libFuzzer's flags: the
# JUnit runner has no way to set a run's duration from outside.
# Harnesses that take logs or report JSON are also seeded with testdata/logs (the corpus, not the
# saved inputs). Prints per harness: executions, coverage (libFuzzer's cov: edges, ft: features),
# corpus, findings, and the load; bench/fuzz/RESULTS.md keeps them. Run it under the benchmark lock.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
java_home=$("$root/.mvn/find-jdk")
work="$root/bench/work/fuzz"
mkdir -p "$work"

classpath() { # MODULE: test classes, classes and test dependencies
  # -am with a build phase: the reactor resolves the project's own modules (model, grammar, ...) to their
  # target/classes. Without it they come from ~/.m2, missing (no Jazzer on the path at all) or a stale
  # install (NoClassDefFoundError for every newer class, which Jazzer reports as a finding). The module
  # itself comes last in the reactor, so its classpath is the one left in the file.
  (cd "$root" && JAVA_HOME="$java_home" ./mvnw -q -B -pl "$1" -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$work/$1.cp" > /dev/null)
  echo "$root/$1/target/test-classes:$root/$1/target/classes:$(cat "$work/$1.cp")"
}

modules=$(grep -v '^#' "$root/bench/fuzz/harnesses.txt" | awk 'NF { print $1 }' | sort -u | paste -sd, -)
(cd "$root" && JAVA_HOME="$java_home" ./mvnw -q -B -DskipTests -pl "$modules" -am test-compile)

if [ "${1:-}" = --seeds ]; then
  cp=$(classpath symbolizer)
  "$java_home/bin/java" -Dktriage.root="$root" -cp "$cp" dev.ktriage.symbolizer.fuzz.FuzzSeeds \
    "$root/symbolizer/src/test/resources"
  exit 0
fi
seconds=${1:-600}
shift || true
mapfile -t harnesses < <(grep -v '^#' "$root/bench/fuzz/harnesses.txt" | grep -v '^$')
if [ $# -gt 0 ]; then
  patterns=()
  for p in "$@"; do patterns+=(-e "$p"); done
  mapfile -t harnesses < <(printf '%s\n' "${harnesses[@]}" | grep "${patterns[@]}")
fi
summary="$root/bench/fuzz/RESULTS.md"
{
  echo
  echo "## Fuzzing, $(date -u '+%Y-%m-%d %H:%M UTC'), ${seconds} s per harness, $(nproc) CPUs"
  echo
  echo "| harness | seconds | executions | exec/s | cov (edges) | ft | corpus | findings | load |"
  echo "|---|---|---|---|---|---|---|---|---|"
} | tee -a "$summary"
for h in "${harnesses[@]}"; do
  read -r module target <<< "$h"
  class=${target%#*}
  method=${target#*#}
  cp=$(classpath "$module")
  pkgdir=$(echo "${class%.*}" | tr . /)
  inputs="$root/$module/src/test/resources/$pkgdir/${class##*.}Inputs/$method"
  corpus="$work/${class##*.}-$method/corpus"
  mkdir -p "$inputs" "$corpus"
  case $method in
    anyBytes|mutatedTestdataLogs|parsedReportsRoundTrip)
      find "$root/testdata/logs" -name '*.log' -size -60k -exec cp -n {} "$corpus/" \; ;;
    anyJson|editedReportJson)
      find "$root/testdata/logs" -name '*.json' -size -60k -exec cp -n {} "$corpus/" \; ;;
  esac
  before=$(ls "$inputs" | grep -c '^crash-' || true)
  log="$work/${class##*.}-$method.log"
  load0=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s)
  # -rss_limit_mb and -Xmx bound memory; -timeout flags an input that runs more than 30 s (a hang).
  # -Djazzer.hooks=true: the sanitizer hooks, which also turn on the de-duplication --keep_going needs
  # (without them Jazzer refuses: "--nodedup is not supported with --ignore or --keep_going").
  "$java_home/bin/java" -Xmx1g -XX:+UseSerialGC -XX:+EnableDynamicAgentLoading --enable-native-access=ALL-UNNAMED \
    -Djazzer.hooks=true -Dktriage.root="$root" -cp "$cp" com.code_intelligence.jazzer.Jazzer \
    --target_class="$class" --target_method="$method" --instrumentation_includes='dev.ktriage.**' \
    --keep_going=10 -max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 -artifact_prefix="$inputs/" \
    "$corpus" "$inputs" > "$log" 2>&1 || true
  took=$(( $(date +%s) - start ))
  after=$(ls "$inputs" | grep -c '^crash-' || true)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
  cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9]*[A-Za-z]*\).*/\1/p')
  rate=$(( ${execs:-0} / (took > 0 ? took : 1) ))
  echo "| $class#$method | $took | ${execs:-?} | $rate | ${cov:-?} | ${ft:-?} | ${corp:-?} | $((after - before)) new ($after saved) | $load0 -> $(cut -d' ' -f1 /proc/loadavg) |" \
    | tee -a "$summary"
  if [ "$after" -gt "$before" ]; then
    grep -E "^== Java Exception|^java\.|^Caused by|FuzzerSecurityIssue" "$log" | sort | uniq -c | head -10 | sed 's/^/    /'
  fi
done
