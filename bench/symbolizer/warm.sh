#!/usr/bin/env bash
# Quick warm-only timing for iterating on the symbolizer, after one bench/symbolizer/run.sh (which
# makes the frame sets and the index under bench/work/): `ktriage addr2line` warm on each size,
# REPEAT times (default 7), median wall with that run's CPU and peak RSS; checks the output against
# the run.sh warm output of the same set (byte-identical). Run it under the benchmark lock:
#   flock /work/bench.lock bench/symbolizer/warm.sh [SIZES...]     # default sizes: 1000 100000
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
vmlinux=${VMLINUX:-/usr/lib/debug/boot/vmlinux-6.1.0-47-cloud-amd64}
work="$root/bench/work"
repeat=${REPEAT:-7}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 100000)
# Builds the jar if needed and records the class data sharing archive (untimed).
"$root/ktriage" addr2line --vmlinux "$vmlinux" -a -f -i --exact --raw-paths --cache "$work/cache" \
  < "$work/set1000.frames" > /dev/null 2>&1
for n in "${sizes[@]}"; do
  set="$work/set$n"
  rows=()
  for ((i = 0; i < repeat; i++)); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/warm-time.txt" "$root/ktriage" addr2line --vmlinux "$vmlinux" \
      -a -f -i --exact --raw-paths --cache "$work/cache" < "$set.frames" > "$set.warm-check.out" 2> "$work/warm-stderr.txt"
    cmp -s "$set.warm-check.out" "$set.warm.out" || { echo "output of $n differs from $set.warm.out" >&2; exit 1; }
    rows+=("$(cat "$work/warm-time.txt")")
  done
  printf '%s\n' "${rows[@]}" | sort -n | awk -v n="$n" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v r="$repeat" \
    '{ w[NR] = $1; c[NR] = $2 + $3; m[NR] = $4 } END { k = int((NR + 1) / 2);
       printf "%6d frames warm: wall median %.2f s (min %.2f, max %.2f), CPU %.2f s, RSS %d MiB; load %s; REPEAT=%d\n",
         n, w[k], w[1], w[NR], c[k], m[k] / 1024, load, r }'
done
