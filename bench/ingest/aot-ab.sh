#!/usr/bin/env bash
# Does a JDK 25+ AOT cache cut what `ktriage ingest` spends? `ingest` of LOGS into a fresh store, interleaved:
#   cds       the launcher's way today (its dynamic CDS archive for ingest, cli/target/ktriage-ingest.jsa)
#   aot       an AOT cache (JEP 483/514: classes loaded and linked) recorded from an ingest of the repository's
#             testdata/clusters/logs, without method profiles (-XX:-AOTRecordTraining), as the launcher's addr2line cache
#   aot+prof  the same with the training run's method profiles (JEP 515)
# Usage: bench/ingest/aot-ab.sh LOGS_DIR [ROUNDS (2)]    (take /work/bench.lock around it; the jar is built first)
# Prints per run: wall, CPU (user+sys), CPU per report, load before. The caches live in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
logs=$(cd "$1" && pwd)
rounds=${2:-2}
./ktriage --version > /dev/null # builds the jar, records the CDS archive of --version's command (not ingest's)
java_home=$(sed -n 2p cli/target/.jdk-home)
jar=cli/target/ktriage.jar
# shellcheck source=cli/jvm/options.sh
. cli/jvm/options.sh
ktriage_jvm_options ingest "$PWD/cli/jvm"
opts=("${KTRIAGE_JVM_OPTIONS[@]}")
java=("$java_home/bin/java" --enable-native-access=ALL-UNNAMED "${opts[@]}")
work=$(mktemp -d "${TMPDIR:-/tmp}/ktriage-aot-ab.XXXXXX")
trap 'rm -rf "$work"' EXIT
train=(ingest --store "$work/train" --no-progress testdata/clusters/logs)
quiet=(-XX:+UnlockDiagnosticVMOptions -Xlog:aot=off -Xlog:cds=off)
for kind in aot aot+prof; do
  rec=-XX:-AOTRecordTraining
  [ "$kind" = aot ] || rec=-XX:+AOTRecordTraining
  rm -rf "$work/train"
  "${java[@]}" "${quiet[@]}" "$rec" -XX:AOTMode=record -XX:AOTConfiguration="$work/$kind.conf" -jar "$jar" \
    "${train[@]}" > /dev/null
  "${java[@]}" "${quiet[@]}" "$rec" -XX:AOTMode=create -XX:AOTConfiguration="$work/$kind.conf" \
    -XX:AOTCache="$work/$kind.aot" -jar "$jar" > /dev/null
done
# the launcher's CDS archive for ingest, recorded by a first (untimed) run as the launcher would
rm -rf "$work/train"
./ktriage "${train[@]}" > /dev/null
jsa=cli/target/ktriage-ingest.jsa
for r in $(seq "$rounds"); do
  for kind in cds aot aot+prof; do
    case $kind in
      cds) share=(-XX:SharedArchiveFile="$jsa" -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off) ;;
      *) share=(-XX:AOTMode=on -XX:AOTCache="$work/$kind.aot" -Xlog:aot=off -Xlog:cds=off) ;;
    esac
    rm -rf "$work/store"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "${java[@]}" "${share[@]}" -jar "$jar" ingest \
      --store "$work/store" --no-progress --format json "$logs" > "$work/summary.json"
    read -r wall user sys rss < "$work/time.txt"
    n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["reports"])' "$work/summary.json")
    python3 - "$kind" "$r" "$n" "$wall" "$user" "$sys" "$rss" "$load" <<'PY'
import sys
kind, r, n, wall, user, sys_, rss, load = sys.argv[1], sys.argv[2], int(sys.argv[3]), *map(float, sys.argv[4:8]), sys.argv[8]
print(f"round {r} {kind:8s}: {n} reports, wall {wall:.1f} s, CPU {user + sys_:.1f} s = {1e6 * (user + sys_) / n:,.0f} us/report, "
      f"RSS {int(rss) // 1024} MB, load before {load}")
PY
  done
done
