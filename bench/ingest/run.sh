#!/usr/bin/env bash
# End-to-end ingest benchmark: `ktriage ingest` of a directory of console logs into a fresh store,
# as a user runs it (the launcher, its JVM options, parsing and storing, 2 threads on 2 cores).
# bench/depot/run.sh times the store alone; this times what a user waits for.
#   bench/ingest/run.sh [LOGS] [RUNS]      LOGS default 20000 (about 4.7 reports each), RUNS default 3
#   LOGS may be a directory of real logs instead (e.g. ../shared/corpus/syzkaller, ../shared/corpus/kunit),
#   ingested as they are; INGEST_ARGS adds ingest options (e.g. INGEST_ARGS="--vmlinux-dir DIR").
set -euo pipefail
cd "$(dirname "$0")/../.."
logs=${1:-20000}
runs=${2:-3}
if [ -d "$logs" ]; then
  src=$(cd "$logs" && pwd)
  work=bench/work/ingest-$(basename "$src")
  mkdir -p "$work"
else
  work=bench/work/ingest-$logs
  src=$work/logs
  if [ ! -d "$src" ]; then
    python3 bench/ingest/make-logs.py --logs "$logs" --out "$src"
  fi
fi
./ktriage --version > /dev/null   # build the jar first (untimed)
find "$src" -type f -exec cat {} + > /dev/null    # warm the page cache
for r in $(seq "$runs"); do
  rm -rf "$work/store"
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" ./ktriage ingest --store "$work/store" --no-progress \
    --format json ${INGEST_ARGS:-} "$src" > "$work/summary.json"
  read -r wall user sys rss < "$work/time.txt"
  python3 - "$work/summary.json" "$wall" "$user" "$sys" "$rss" "$load" "$r" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
wall, user, sys_, rss = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
n = s.get('reports', 0)
print(f"run {sys.argv[7]}: {n} reports from {s.get('files')} files in {wall:.1f} s wall = {n / wall:,.0f} reports/s; "
      f"CPU {user + sys_:.1f} s = {1e6 * (user + sys_) / n:,.0f} us/report; peak RSS {rss // 1024} MB; "
      f"{s.get('newClusters')} clusters; load before {sys.argv[6]}")
PY
done
du -sh "$work/store" | awk '{print "store on disk: " $1}'
