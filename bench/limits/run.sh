#!/usr/bin/env bash
# Resource limits of issue 19 as checks: each hostile input through ./ktriage with a 256 MB heap
# (KTRIAGE_JAVA_OPTS=-Xmx256m) and a time bound; wall and CPU time, peak RSS, exit code and what came
# out are recorded, and a check fails when it runs out of time or memory, crashes, or loses what it
# must find. The bound is on CPU seconds (user + system), which a shared machine's load does not
# stretch as it stretches wall time; a wall limit of ten times the bound stops a run that hangs.
# The 100k-report checks come first: they are the ones a quadratic corner shows in.
# Usage: bench/limits/run.sh [INPUT_DIR]   (inputs are made there by make-inputs.py if missing)
#        ONLY=<extended regex> runs only the checks whose name matches it (e.g. ONLY='no prefixes|\\r')
# Run under `flock /work/bench.lock` and see bench/limits/RESULTS.md.
set -uo pipefail
cd "$(dirname "$0")/../.."
IN=${1:-/tmp/ktriage-limits}
[ -f "$IN/dwarf-unit-4gb.elf" ] || python3 bench/limits/make-inputs.py "$IN"
./mvnw -q -o -pl cli -am package -DskipTests
export KTRIAGE_JAVA_OPTS=-Xmx256m
STORE=$(mktemp -d /tmp/ktriage-limits-store.XXXXXX)
echo "load before: $(uptime)" >&2
printf '| check | CPU bound | wall | CPU | peak RSS | exit | result | verdict |\n|---|---|---|---|---|---|---|---|\n'
fails=0
# check NAME BOUND_SECONDS EXPECT(min reports or 'answer:TEXT' or 'exit:CODES') -- ktriage args...
check() {
  local name=$1 bound=$2 expect=$3; shift 4
  [[ -z "${ONLY:-}" || "$name" =~ $ONLY ]] || return 0
  local out err
  out=$(mktemp) err=$(mktemp)
  /usr/bin/time -f '%e %U %S %M' -o "$err.time" timeout $((bound * 10)) ./ktriage "$@" > "$out" 2> "$err"
  local rc=$?
  local wall user sys rss cpu
  read -r wall user sys rss < <(grep -E '^[0-9.]+ ' "$err.time") || { wall='?'; user=0; sys=0; rss=0; }
  cpu=$(echo "$user + $sys" | bc)
  local result verdict=ok
  case $expect in
    answer:*) result="$(head -c 60 "$out" | tr '\n' ' ')"; grep -q -- "${expect#answer:}" "$out" || verdict=FAIL ;;
    exit:*) result="$(head -c 100 "$err" | tr '\n' ' ')"; [[ ",${expect#exit:}," == *",$rc,"* ]] || verdict=FAIL ;;
    *) local n; n=$(grep -c '^{' "$out"); result="$n reports"; [ "$n" -ge "$expect" ] || verdict=FAIL ;;
  esac
  [ $rc -eq 124 ] && { verdict="FAIL (hung: over $((bound * 10)) s wall)"; }
  [ "$(echo "$cpu > $bound" | bc)" = 1 ] && verdict="FAIL (over ${bound} CPU s)"
  grep -q "out of memory\|internal error" "$err" && verdict="FAIL ($(head -c 80 "$err"))"
  [ "$verdict" = ok ] || fails=$((fails + 1))
  printf '| %s | %s s | %s s | %s s | %d MB | %s | %s | %s |\n' "$name" "$bound" "$wall" "$cpu" $((rss / 1024)) "$rc" "$result" "$verdict"
  rm -f "$out" "$err" "$err.time"
}
check "100k reports, console prefixes (175 MB)" 150 100000 -- parse --format jsonl "$IN/100k-reports-prefixed.log"
check "100k reports, no prefixes (102 MB)" 150 100000 -- parse --format jsonl "$IN/100k-reports-unprefixed.log"
check "1 unprefixed report, then 100k prefixed" 150 100001 -- parse --format jsonl "$IN/unprefixed-then-100k-prefixed.log"
check "100k reports, lines joined by bare \\r" 150 0 -- parse --format jsonl "$IN/bare-cr.log"
check "ingest 100k reports (one log)" 600 exit:0 -- ingest --no-progress --store "$STORE" "$IN/100k-reports-prefixed.log"
check "a 20 MB line, then a report" 60 1 -- parse --format jsonl "$IN/20mb-line.log"
check "100k frames in one trace" 60 1 -- parse --format jsonl "$IN/100k-frames.log"
check "10k <IRQ> blocks in one trace" 60 1 -- parse --format jsonl "$IN/10k-irq.log"
check "a DWARF unit claiming 4 GB" 60 exit:0,2 -- addr2line --no-cache -f -e "$IN/dwarf-unit-4gb.elf" 0x401093
check "a million symbols" 120 answer:fn_1000 -- addr2line --no-cache -f -e "$IN/1m-symbols.elf" 0xffffffff81003e85
echo "load after: $(uptime)" >&2
rm -rf "$STORE"
exit $((fails > 0))
