#!/usr/bin/env bash
# Parse benchmark: ktriage parse on a large console log against `wc -l` on the same file, in the
# same run, page cache warm. Prints wall/CPU/RSS medians, MB/s and the ratio to wc -l, and checks
# that every embedded report was found.
#   bench/parse/run.sh [SIZE] [RUNS] [KINDS]   SIZE like 1G (default), RUNS default 5,
#                                              KINDS sanitizers (default) or all (make-log.py --kinds)
# ANCHOR=<dir of another checkout, its jar built> also times that checkout's ./ktriage on the same log in
# the same run (e.g. the KASAN/KCSAN-only parser, to compare ratios to `wc -l` taken minutes apart).
set -euo pipefail
cd "$(dirname "$0")/../.."
size=${1:-1G}
runs=${2:-5}
kinds=${3:-sanitizers}
work=bench/work
mkdir -p "$work"
log=$work/console-$size.log
[ "$kinds" = sanitizers ] || log=$work/console-$size-$kinds.log
if [ ! -f "$log" ]; then
  python3 bench/parse/make-log.py --size "$size" --kinds "$kinds" --out "$log"
fi
expected=$(sed -n 's/^reports=//p' "$log.manifest")
bytes=$(stat -c %s "$log")
./ktriage --version >/dev/null              # build the jar and the class-data archive first
cat "$log" > /dev/null                       # warm the page cache for both tools
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

measure() { # name, command...; appends "wall user sys rss_kb" lines to $work/$name.times
  local name=$1; shift
  : > "$work/$name.times"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -a -o "$work/$name.times" "$@" > "$work/$name.out"
  done
}
measure wc wc -l "$log"
measure ktriage ./ktriage parse --format jsonl "$log"
found=$(wc -l < "$work/ktriage.out")
if [ -n "${ANCHOR:-}" ]; then
  "$ANCHOR/ktriage" --version >/dev/null
  measure anchor "$ANCHOR/ktriage" parse --format jsonl "$log"
fi
: > "$work/empty.log"
measure startup ./ktriage parse --format jsonl "$work/empty.log"   # JVM + CLI start-up alone

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$work/$1.times" | median; }
wc_wall=$(col wc 1); kt_wall=$(col ktriage 1)
kt_cpu=$(awk '{print $2+$3}' "$work/ktriage.times" | median)
kt_rss=$(col ktriage 4); wc_rss=$(col wc 4); st_wall=$(col startup 1)
echo "load average before: $load_before"
echo "log: $log ($bytes bytes), $expected reports embedded, $runs runs each, medians"
printf "%-10s wall %6.2f s                      RSS %6d MB\n" "wc -l" "$wc_wall" $((wc_rss / 1024))
printf "%-10s wall %6.2f s  CPU %6.2f s  %6.0f MB/s  RSS %6d MB\n" "ktriage" "$kt_wall" "$kt_cpu" \
  "$(echo "$bytes / 1048576 / $kt_wall" | bc -l)" $((kt_rss / 1024))
if [ -n "${ANCHOR:-}" ]; then
  an_wall=$(col anchor 1); an_cpu=$(awk '{print $2+$3}' "$work/anchor.times" | median); an_rss=$(col anchor 4)
  printf "%-10s wall %6.2f s  CPU %6.2f s  %6.0f MB/s  RSS %6d MB  (%s, %d reports)\n" "anchor" "$an_wall" "$an_cpu" \
    "$(echo "$bytes / 1048576 / $an_wall" | bc -l)" $((an_rss / 1024)) "$ANCHOR" "$(wc -l < "$work/anchor.out")"
  printf "ratio anchor/wc -l (wall): %.2f; ktriage/anchor: wall %.2f, CPU %.2f\n" "$(echo "$an_wall / $wc_wall" | bc -l)" \
    "$(echo "$kt_wall / $an_wall" | bc -l)" "$(echo "$kt_cpu / $an_cpu" | bc -l)"
fi
printf "%-10s wall %6.2f s  (ktriage on an empty log: JVM and CLI start-up)\n" "start-up" "$st_wall"
printf "ratio ktriage/wc -l (wall): %.2f; without start-up: %.2f\n" "$(echo "$kt_wall / $wc_wall" | bc -l)" \
  "$(echo "($kt_wall - $st_wall) / $wc_wall" | bc -l)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); CPU steal is not shown but varies on this VM"
echo "reports found: $found (expected $expected)"
[ "$found" -eq "$expected" ] || { echo "MISMATCH: not every embedded report was found" >&2; exit 1; }
