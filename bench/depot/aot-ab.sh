#!/usr/bin/env bash
# Would a JDK 25 AOT cache with method profiles (JEP 483/514/515) cut the store's JIT CPU? DepotBench from jars
# (an AOT cache keeps classes of jars only), trained by a short ingest (--reports TRAIN), then REPORTS reports
# with and without the cache (-XX:AOTMode=on: a cache the JVM cannot use is an error, not a silent fallback),
# interleaved. DepotBench does not load picocli, whose Java 5 class files make JDK 25.0.3 crash writing a linked
# cache of the cli (bench/ingest/aot-ab.sh), so this shows what the cache would give `ingest` without that crash.
# Usage: bench/depot/aot-ab.sh [ROUNDS (2)] [REPORTS (100000)] [TRAIN (10000)]   (take /work/bench.lock around it;
#   BENCH_SKIP_BUILD=1 when depot and cli are built with their class paths, as run.sh leaves them)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-2}
n=${2:-100000}
train=${3:-10000}
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  ./mvnw -q -pl depot,cli -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
fi
jdk="$(.mvn/find-jdk)"
work=$(mktemp -d /tmp/ktriage-depot-aot.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp=
for m in depot/target/classes depot/target/test-classes model/target/classes report-json/target/classes \
  grammar/target/classes symbolizer/target/classes cli/target/classes store-opensearch/target/classes; do
  j="$work/$(echo "$m" | tr / -).jar"
  "$jdk/bin/jar" cf "$j" -C "$m" .
  cp="$cp${cp:+:}$j"
done
cp bench/depot/DepotBench.java "$work/"
deps="$(cat depot/target/cp.txt cli/target/cp.txt | tr ':' '\n' | grep -v '/target/classes$' | grep -v '/target/test-classes$' | sort -u | paste -sd:)"
# shellcheck source=cli/jvm/options.sh
. cli/jvm/options.sh
ktriage_jvm_options ingest "$PWD/cli/jvm"
java=("$jdk/bin/java" "${KTRIAGE_JVM_OPTIONS[@]}" --enable-native-access=ALL-UNNAMED -cp "$cp:$deps")
quiet=(-Xlog:aot=off -Xlog:cds=off)
"${java[@]}" "${quiet[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$work/conf" "$work/DepotBench.java" \
  --reports "$train" --no-query --store "$work/train" > "$work/train.out" 2>&1
"${java[@]}" "${quiet[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$work/conf" -XX:AOTCache="$work/cache.aot" \
  > "$work/create.out" 2>&1 || { tail -5 "$work/create.out"; exit 1; }
echo "AOT cache: $(du -m "$work/cache.aot" | cut -f1) MB, trained on $train reports"
for r in $(seq "$rounds"); do
  for kind in none aot; do
    share=()
    [ "$kind" = none ] || share=(-XX:AOTMode=on -XX:AOTCache="$work/cache.aot" "${quiet[@]}")
    echo "== round $r: $kind at $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
    "${java[@]}" "${share[@]}" "$work/DepotBench.java" --reports "$n" --no-query --store "$work/store" 2>&1 \
      | grep -E 'CPU per report|of the other threads|what ktriage ingest pays|^ingest|^parse' || echo "run failed"
  done
done
