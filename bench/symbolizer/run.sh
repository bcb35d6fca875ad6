#!/usr/bin/env bash
# Symbolizer benchmark: ktriage (cold: no index; warm: persistent index already built) against
# llvm-symbolizer and GNU addr2line on random kernel frames of Debian's 6.1 cloud vmlinux.
#
#   apt-get install -y linux-image-6.1.0-47-cloud-amd64-dbg llvm binutils python3 time
#   bench/symbolizer/run.sh [VMLINUX] [SIZES...]      # default sizes: 1000 100000
#
# Frames are `name+0xoff/0xsize` with kallsyms-style sizes from a fixed seed (gen_frames.py); the
# tools get the same addresses (symbol + off). Each command runs REPEAT times (default 1) under
# /usr/bin/time; the table reports the median wall time and that run's CPU (user+sys) and peak RSS.
# Outputs and the table land in bench/work/ (git-ignored). ktriage runs as users run it:
# `./ktriage addr2line --vmlinux V -a -f -i --exact --raw-paths` with --no-cache (cold) or --cache DIR
# (warm), through the launcher (KTRIAGE_JAVA_OPTS adds JVM options).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
vmlinux=${1:-/usr/lib/debug/boot/vmlinux-6.1.0-47-cloud-amd64}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 100000)
repeat=${REPEAT:-1}
work="$root/bench/work"
mkdir -p "$work"
[ -f "$vmlinux" ] || { echo "missing $vmlinux (apt-get install linux-image-6.1.0-47-cloud-amd64-dbg)" >&2; exit 2; }

java_home=$("$root/.mvn/find-jdk")
(cd "$root" && JAVA_HOME="$java_home" ./mvnw -q -B -DskipTests -pl cli -am package)
touch "$root/cli/target/ktriage.jar" # as the launcher does after a build: not stale
# The JVM does not rebuild a class data sharing archive that no longer matches the jar (measured with
# JDK 25: a stale archive is ignored and kept), so start from none, as a fresh install does.
rm -f "$root/cli/target/ktriage.jsa"
# The product command, through the launcher (its JVM options for symbolizing commands and its class
# data sharing archive); frames are looked up at their own address (--exact), as the tools are.
ktriage=("$root/ktriage" addr2line --vmlinux "$vmlinux" -a -f -i --exact --raw-paths)
# The library alone, for the split between symbolizer and command: the benchmark driver BatchResolve
# (one resolveAll, minimal output) on the symbolizer jar, with the launcher's JVM options.
(cd "$root" && JAVA_HOME="$java_home" ./mvnw -q -B -pl symbolizer dependency:build-classpath -DincludeScope=runtime \
  -Dmdep.outputFile="$work/classpath.txt" >/dev/null)
lib_cp="$(ls "$root"/symbolizer/target/ktriage-symbolizer-*.jar | grep -v -e sources -e javadoc | head -1):$(cat "$work/classpath.txt")"
mapfile -t lib_opts < <(sed -n '/addr2line|symbolize)/,/;;/p' "$root/ktriage" | grep -o -e '-[XD][^ )]*')
rm -f "$work/library.jsa"
library=("$java_home/bin/java" --enable-native-access=ALL-UNNAMED -XX:SharedArchiveFile="$work/library.jsa"
  -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off "${lib_opts[@]}" -cp "$lib_cp"
  dev.ktriage.symbolizer.bench.BatchResolve "$vmlinux" --raw-paths)

# run NAME INPUT OUTPUT CMD...: times CMD (stdin INPUT, stdout OUTPUT) REPEAT times; prints a table row.
run() {
  local name=$1 input=$2 output=$3
  shift 3
  local rows=()
  for ((i = 0; i < repeat; i++)); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" < "$input" > "$output" 2>> "$work/stderr.txt"
    rows+=("$(cat "$work/time.txt")")
  done
  printf '%s\n' "${rows[@]}" | sort -n | sed -n "$(( (repeat + 1) / 2 ))p" | awk -v n="$name" \
    -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    '{ printf "| %-28s | %7.2f | %7.2f | %6.0f | %5s |\n", n, $1, $2 + $3, $4 / 1024, load }'
}

cache="$work/cache"
rm -rf "$cache"
# Untimed first run: (re)creates the launcher's class data sharing archive, as a user's first command
# after an update would.
python3 "$root/bench/symbolizer/gen_frames.py" "$vmlinux" 1000 1 "$work/set1000"
"${ktriage[@]}" --no-cache < "$work/set1000.frames" > /dev/null 2>&1
"${library[@]}" < "$work/set1000.frames" > /dev/null 2>&1
echo "index build (first run with a cache directory, no frames):"
/usr/bin/time -f "  %e s wall, %U+%S s CPU, %M KB peak RSS" "${ktriage[@]}" --cache "$cache" < /dev/null
ls -l "$cache"

{
  echo "vmlinux: $vmlinux ($(stat -c %s "$vmlinux") bytes); $(nproc) CPUs; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $("$java_home/bin/java" -version 2>&1 | head -1); launcher options for addr2line: $(sed -n '/addr2line|symbolize)/,/;;/p' "$root/ktriage" | tr -s ' \n' ' ')"
  echo "llvm-symbolizer: $(llvm-symbolizer --version | grep -i version | head -1 | xargs); addr2line: $(addr2line --version | head -1)"
} | tee "$work/results.md"
for n in "${sizes[@]}"; do
  seed=$([ "$n" = 1000 ] && echo 1 || echo 2)
  set="$work/set$n"
  python3 "$root/bench/symbolizer/gen_frames.py" "$vmlinux" "$n" "$seed" "$set"
  {
    echo
    echo "### $n frames (seed $seed)"
    echo
    echo "| tool | wall s | CPU s | RSS MiB | load (1 min) after |"
    echo "|---|---|---|---|---|"
    run "ktriage cold (no index)" "$set.frames" "$set.cold.out" "${ktriage[@]}" --no-cache
    run "ktriage warm (index built)" "$set.frames" "$set.warm.out" "${ktriage[@]}" --cache "$cache"
    run "library cold (BatchResolve)" "$set.frames" "$set.libcold.out" "${library[@]}"
    run "library warm (BatchResolve)" "$set.frames" "$set.libwarm.out" "${library[@]}" --cache "$cache"
    run "llvm-symbolizer --inlines" "$set.addrs" "$set.llvm.out" llvm-symbolizer --obj="$vmlinux" --inlines \
      --output-style=GNU -a -f
    run "addr2line -f -i" "$set.addrs" "$set.a2l.out" addr2line -a -f -i -e "$vmlinux"
    echo
    echo "ktriage cold vs llvm-symbolizer:"
    python3 "$root/bench/symbolizer/compare.py" "$set.addrs" "$set.cold.out" "$set.llvm.out" --list 0 | sed 's/^/    /'
    cmp -s "$set.cold.out" "$set.warm.out" && echo "    (cold and warm outputs identical)"
    echo "ktriage warm vs llvm-symbolizer (disagreements listed):"
    python3 "$root/bench/symbolizer/compare.py" "$set.addrs" "$set.warm.out" "$set.llvm.out" --list 100000 \
      > "$set.warm-vs-llvm.txt"
    head -8 "$set.warm-vs-llvm.txt" | sed 's/^/    /'
    echo "ktriage warm vs addr2line:"
    python3 "$root/bench/symbolizer/compare.py" "$set.addrs" "$set.warm.out" "$set.a2l.out" --list 100000 \
      > "$set.warm-vs-a2l.txt"
    head -8 "$set.warm-vs-a2l.txt" | sed 's/^/    /'
  } | tee -a "$work/results.md"
done
