#!/usr/bin/env bash
# Linear time and bounded memory on the hostile logs of issue 19 item 1 (a benchmark-style check,
# not a timed unit test): for each shape of make-hostile.py, ktriage parse --format jsonl with a
# 256 MB heap on N and 2N reports. Prints wall and CPU time, peak RSS and when the first JSONL line
# came, and fails when 2N takes more than 2.6x the CPU of N (quadratic would be 4x; CPU, not wall, as
# the machine is shared), RSS passes 256 MB, the first line waits for the end of the input, or a
# report is missing. Run it under `flock /work/bench.lock`.
#   bench/parse/hostile.sh [N]      N reports (default 20000; N/4 for the \r-joined shape)
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-20000}
work=bench/work/hostile
mkdir -p "$work"
./ktriage --version >/dev/null   # build the jar first
export KTRIAGE_JAVA_OPTS="-Xmx256m"
status=0

run() { # log -> "wall cpu rss_kb first_line_s lines"
  local log=$1 start first=""
  rm -f "$work/first"
  start=$(date +%s.%N)
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" ./ktriage parse --format jsonl "$log" \
    | while IFS= read -r line; do
        if [ -z "$first" ]; then first=$(echo "$(date +%s.%N) - $start" | bc); echo "$first" > "$work/first"; fi
        echo "$line"
      done > "$work/out.jsonl"
  read -r wall user sys rss < "$work/time"
  echo "$wall $(echo "$user + $sys" | bc) $rss $(cat "$work/first" 2>/dev/null || echo -) $(wc -l < "$work/out.jsonl")"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for shape in unprefixed damaged-ts unprefixed-oops oops-tails cr-joined; do
  # The issue's \r-joined input held 5,001 reports in 191 MB: a quarter as many reports, much longer.
  n=$base; [ "$shape" = cr-joined ] && n=$((base / 4))
  for count in "$n" $((2 * n)); do
    log=$work/$shape-$count.log
    [ -f "$log" ] || python3 bench/parse/make-hostile.py --shape "$shape" --reports "$count" --out "$log"
  done
  read -r w1 c1 r1 f1 l1 < <(run "$work/$shape-$n.log")
  read -r w2 c2 r2 f2 l2 < <(run "$work/$shape-$((2 * n)).log")
  e1=$(sed -n 's/^reports=//p' "$work/$shape-$n.log.manifest")
  e2=$(sed -n 's/^reports=//p' "$work/$shape-$((2 * n)).log.manifest")
  ratio=$(echo "$c2 / $c1" | bc -l)
  printf "%-11s N=%-6d %5d MB  wall %7.2f s  CPU %6.2f s  RSS %4d MB  first line %6s s  reports %d/%d\n" "$shape" "$n" $(($(stat -c %s "$work/$shape-$n.log") >> 20)) "$w1" "$c1" $((r1 / 1024)) "$f1" "$l1" "$e1"
  printf "%-11s N=%-6d %5d MB  wall %7.2f s  CPU %6.2f s  RSS %4d MB  first line %6s s  reports %d/%d  (CPU 2N/N %.2f)\n" "$shape" $((2 * n)) $(($(stat -c %s "$work/$shape-$((2 * n)).log") >> 20)) "$w2" "$c2" $((r2 / 1024)) "$f2" "$l2" "$e2" "$ratio"
  if [ "$(echo "$ratio > 2.6" | bc)" = 1 ]; then echo "  FAIL: not linear"; status=1; fi
  if [ $((r2 / 1024)) -gt 256 ]; then echo "  FAIL: RSS over 256 MB"; status=1; fi
  if [ "$(echo "$f2 > $w2 / 2" | bc)" = 1 ]; then echo "  FAIL: the first report waited for the end"; status=1; fi
  if [ "$l1" -ne "$e1" ] || [ "$l2" -ne "$e2" ]; then echo "  FAIL: reports missing"; status=1; fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
