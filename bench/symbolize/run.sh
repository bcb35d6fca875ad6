#!/usr/bin/env bash
# Times `ktriage symbolize` and `ktriage addr2line` as a user runs them (the product launcher, a fresh
# JVM each time) against Debian's 6.1 vmlinux with DWARF:
#
#   apt-get install -y linux-image-6.1.0-47-cloud-amd64-dbg binutils python3 time
#   bench/symbolize/run.sh [VMLINUX]
#
# The report is testdata/demo/syzkaller-console.log with its frames retargeted to VMLINUX (retarget.py).
# Rows: the first run with an empty cache directory (builds the index), a run with the index, a run
# without any cache (--no-cache: DWARF decoded on demand), and a 1,000-line stdin batch for addr2line.
# Output lands in bench/work/symbolize (git-ignored).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
vmlinux=${1:-/usr/lib/debug/boot/vmlinux-6.1.0-47-cloud-amd64}
[ -f "$vmlinux" ] || { echo "missing $vmlinux (apt-get install linux-image-6.1.0-47-cloud-amd64-dbg)" >&2; exit 2; }
work="$root/bench/work/symbolize"
rm -rf "$work"
mkdir -p "$work"
"$root/ktriage" --version >/dev/null # builds the jar if needed, outside the timings
python3 "$root/bench/symbolize/retarget.py" "$vmlinux" < "$root/testdata/demo/syzkaller-console.log" > "$work/oops.log"

# time NAME CMD...: one row (wall s, CPU s, peak RSS MiB).
row() {
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" > "$work/out.txt" 2> "$work/err.txt"
  awk -v n="$name" '{ printf "| %-40s | %6.2f | %6.2f | %5.0f |\n", n, $1, $2 + $3, $4 / 1024 }' "$work/time.txt"
}

echo "vmlinux: $vmlinux; $(nproc) CPUs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | wall s | CPU s | RSS MiB |"
echo "|---|---|---|---|"
row "symbolize, first run (builds the index)" "$root/ktriage" symbolize --vmlinux "$vmlinux" --cache "$work/cache" "$work/oops.log"
cp "$work/out.txt" "$work/cold.out"
row "symbolize, index built" "$root/ktriage" symbolize --vmlinux "$vmlinux" --cache "$work/cache" "$work/oops.log"
cmp -s "$work/out.txt" "$work/cold.out" || echo "WARNING: outputs differ with and without the index" >&2
row "symbolize --no-cache" "$root/ktriage" symbolize --vmlinux "$vmlinux" --no-cache "$work/oops.log"
cmp -s "$work/out.txt" "$work/cold.out" || echo "WARNING: --no-cache output differs" >&2
row "parse --vmlinux (index built)" "$root/ktriage" parse --vmlinux "$vmlinux" --cache "$work/cache" "$work/oops.log"
grep -o '[A-Za-z_][A-Za-z0-9_.]*+0x[0-9a-f]*/0x[0-9a-f]*' "$work/oops.log" | head -1000 > "$work/frames.txt"
while [ "$(wc -l < "$work/frames.txt")" -lt 1000 ]; do cat "$work/frames.txt" "$work/frames.txt" | head -1000 > "$work/f2" && mv "$work/f2" "$work/frames.txt"; done
row "addr2line -fi, 1000 frames on stdin (index)" sh -c "\"$root/ktriage\" addr2line --vmlinux \"$vmlinux\" --cache \"$work/cache\" -fi < \"$work/frames.txt\""
ls -l "$work/cache"
echo
echo "symbolized report: $work/cold.out"
