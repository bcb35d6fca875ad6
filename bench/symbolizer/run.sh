#!/usr/bin/env bash
# Symbolizer benchmark: ktriage against llvm-symbolizer (and GNU addr2line) on random frames of each
# vmlinux given, in one go: cold (no index) and warm (index built), with the benchmark's flags and
# with the default command line, and the first run on a 30-frame report against a vmlinux never
# seen before.
#
#   apt-get install -y llvm binutils python3 time     # and the -dbg packages of the kernels
#   bench/symbolizer/run.sh VMLINUX...                # default: Debian's 6.1 cloud vmlinux
#   REPEAT=3 SIZES="1000 100000" FIRST=30 A2L_MAX=1000 bench/symbolizer/run.sh ...
#   UNIQUE=1 ...    # frames only of names no other symbol of that size shares (gen_frames.py --unique)
#
# Run it under the benchmark lock: flock /work/bench.lock bench/symbolizer/run.sh ...
#
# Frames are `name+0xoff/0xsize` with kallsyms-style sizes from a fixed seed (gen_frames.py); the
# tools get the same addresses (symbol + off). Each size runs every command REPEAT times (default 3),
# interleaved (one of each per round, so that load drift hits all alike), under /usr/bin/time; the
# table gives the median wall time with that run's CPU (user+sys) and peak RSS, and ratios to the
# median llvm-symbolizer of the same rounds; the summary adds the ratios of the median CPU times
# (user+sys), the steadier figure on a loaded machine. The load average is printed with each size.
#
# The commands (ktriage through its launcher, as users run it):
#   bench flags, cold   ktriage addr2line --vmlinux V -a -f -i --exact --raw-paths --no-cache
#   bench flags, warm   the same with --cache DIR, the index built beforehand (ktriage index)
#   default, cold       ktriage addr2line --vmlinux V -a -f -i, with an empty cache directory
#                       (XDG_CACHE_HOME): a vmlinux never seen before; its index build, which runs
#                       after the answer in the background, is waited for between rounds
#   default, warm       the same with the index in the default cache
#   llvm-symbolizer     llvm-symbolizer --obj=V --inlines --output-style=GNU -a -f (addresses)
#   addr2line           addr2line -a -f -i -e V (sizes up to A2L_MAX only: ~16 s per 100k)
#   floors              default command line on no input, index built and never seen (first-run rounds)
# The default command line differs in return-address handling (pc - 1) and path rendering; its
# answers are the same frames, so agreement is measured on the bench flags' output (exact, raw paths).
# Outputs and tables land in bench/work/ (git-ignored); bench/work/results.md collects the tables.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -gt 0 ] || set -- /usr/lib/debug/boot/vmlinux-6.1.0-47-cloud-amd64
repeat=${REPEAT:-3}
read -r -a sizes <<< "${SIZES:-1000 100000}"
first=${FIRST:-30}
a2l_max=${A2L_MAX:-1000}
work="$root/bench/work"
mkdir -p "$work"
for v in "$@"; do
  [ -f "$v" ] || { echo "missing $v (install the kernel's -dbg package)" >&2; exit 2; }
done

java_home=$("$root/.mvn/find-jdk")
(cd "$root" && JAVA_HOME="$java_home" ./mvnw -q -B -DskipTests -pl cli -am package)
touch "$root/cli/target/ktriage.jar" # as the launcher does after a build: not stale
ktriage="$root/ktriage"

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# timed NAME INPUT OUTPUT CMD...: one run of CMD (stdin INPUT, stdout OUTPUT); appends
# "NAME wall cpu rss_kb" to $rows.
timed() {
  local name=$1 input=$2 output=$3
  shift 3
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" < "$input" > "$output" 2>> "$work/stderr.txt"
  read -r wall user sys rss < "$work/time.txt"
  echo "$name $wall $(echo "$user + $sys" | bc) $rss" >> "$rows"
}

# The build id names the index file; a background index build leaves its pid in <index>.building.
build_id() { readelf -n "$1" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p' | head -1; }
wait_index() { # CACHE_DIR BUILD_ID: waits for a background index build there to end
  local marker="$1/$2.ktidx.building" pid
  [ -f "$marker" ] || return 0
  pid=$(cat "$marker")
  while kill -0 "$pid" 2> /dev/null; do
    sleep 0.1
  done
}

# medcpu NAME: the median CPU time (user + sys) of NAME's runs in $rows. Under load the wall times
# mostly measure the scheduler; the CPU ratios are the steadier comparison.
medcpu() { awk -v n="$1" '$1 == n { print $3 }' "$rows" | sort -n | awk '{ a[NR] = $0 } END { if (NR) print a[int((NR + 1) / 2)] }'; }

summary="$work/summary.md"
{
  echo "# Symbolizer benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "$(nproc) CPUs; load at start: $(loadavg); REPEAT=$repeat"
  echo "java: $("$java_home/bin/java" -version 2>&1 | head -1); llvm-symbolizer: $(llvm-symbolizer --version | grep -i version | head -1 | xargs); $(addr2line --version | head -1)"
  echo
  echo "| kernel | frames | flags | cold s | warm s | llvm s | cold × | warm × | CPU cold × | CPU warm × | RSS cold / warm MiB | RSS × (cold) | load |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
} > "$summary"
details="$work/results.md"
: > "$details"
floors="$work/floors.md"
{
  echo
  echo "Floors: \`ktriage addr2line --vmlinux V -f -i\` on no input (medians of $repeat, same rounds as the first run):"
  echo
  echo "| kernel | 0 frames, index built: wall s / CPU s / RSS MiB | 0 frames, never seen | llvm-symbolizer, $first frames: wall s / CPU s | load |"
  echo "|---|---|---|---|---|"
} > "$floors"

for vmlinux in "$@"; do
  label=$(basename "$vmlinux")
  dir="$work/$label"
  mkdir -p "$dir"
  id=$(build_id "$vmlinux")
  cache="$dir/cache"
  warm_xdg="$dir/xdg-warm"
  rm -rf "$cache" "$warm_xdg"
  {
    echo
    echo "## $label"
    echo
    echo "$vmlinux: $(stat -L -c %s "$vmlinux") bytes, build id $id"
  } | tee -a "$details"
  # Untimed: records the launcher's class data sharing archive and AOT cache, as a user's first
  # command after an update would.
  python3 "$root/bench/symbolizer/gen_frames.py" "$vmlinux" 1000 1 "$dir/set1000"
  "$ktriage" addr2line --vmlinux "$vmlinux" --no-cache < "$dir/set1000.frames" > /dev/null 2>&1
  echo "index build (ktriage index, bench cache):" | tee -a "$details"
  /usr/bin/time -f "  %e s wall, %U+%S s CPU, %M KB peak RSS" -o "$work/time.txt" \
    "$ktriage" index --cache "$cache" "$vmlinux" 2>> "$work/stderr.txt"
  cat "$work/time.txt" | tee -a "$details"
  XDG_CACHE_HOME="$warm_xdg" "$ktriage" index "$vmlinux" 2>> "$work/stderr.txt"
  ls -l "$cache" | tail -n +2 | sed 's/^/  /' | tee -a "$details"

  for n in "${sizes[@]}"; do
    seed=$([ "$n" = 1000 ] && echo 1 || echo 2)
    set="$dir/set$n${UNIQUE:+u}"
    [ -f "$set.frames" ] || python3 "$root/bench/symbolizer/gen_frames.py" "$vmlinux" "$n" "$seed" "$set" \
      ${UNIQUE:+--unique}
    rows="$dir/rows$n.txt"
    : > "$rows"
    load0=$(loadavg)
    for ((r = 0; r < repeat; r++)); do
      timed bench-cold "$set.frames" "$set.cold.out" "$ktriage" addr2line --vmlinux "$vmlinux" -a -f -i --exact \
        --raw-paths --no-cache
      timed bench-warm "$set.frames" "$set.warm.out" "$ktriage" addr2line --vmlinux "$vmlinux" -a -f -i --exact \
        --raw-paths --cache "$cache"
      fresh="$dir/xdg-cold"
      rm -rf "$fresh"
      mkdir -p "$fresh"
      timed default-cold "$set.frames" "$set.dcold.out" env XDG_CACHE_HOME="$fresh" "$ktriage" addr2line \
        --vmlinux "$vmlinux" -a -f -i
      wait_index "$fresh/ktriage" "$id"
      timed default-warm "$set.frames" "$set.dwarm.out" env XDG_CACHE_HOME="$warm_xdg" "$ktriage" addr2line \
        --vmlinux "$vmlinux" -a -f -i
      timed llvm "$set.addrs" "$set.llvm.out" llvm-symbolizer --obj="$vmlinux" --inlines --output-style=GNU -a -f
      if [ "$n" -le "$a2l_max" ]; then
        timed addr2line "$set.addrs" "$set.a2l.out" addr2line -a -f -i -e "$vmlinux"
      fi
    done
    load1=$(loadavg)
    # median per command: "name wall cpu rss"
    med() { awk -v n="$1" '$1 == n' "$rows" | sort -k2 -n | awk -v r="$repeat" '{ a[NR] = $0 } END { if (NR) print a[int((NR + 1) / 2)] }'; }
    read -r _ llvm_w llvm_c llvm_m <<< "$(med llvm)"
    llvm_cpu=$(medcpu llvm)
    {
      echo
      echo "### $label, $n${UNIQUE:+ unambiguous} frames (seed $seed), load $load0 -> $load1"
      echo
      echo "| command | wall s | CPU s | RSS MiB | wall × llvm | RSS × llvm |"
      echo "|---|---|---|---|---|---|"
      for c in bench-cold bench-warm default-cold default-warm llvm addr2line; do
        read -r _ w cpu m <<< "$(med "$c")"
        [ -n "${w:-}" ] || continue
        awk -v c="$c" -v w="$w" -v cpu="$cpu" -v m="$m" -v lw="$llvm_w" -v lm="$llvm_m" \
          'BEGIN { printf "| %s | %.2f | %.2f | %.0f | %.3f | %.2f |\n", c, w, cpu, m / 1024, w / lw, m / lm }'
        w=
      done
      echo
      echo "Agreement, bench flags (cold) vs llvm-symbolizer:"
      python3 "$root/bench/symbolizer/compare.py" "$set.addrs" "$set.cold.out" "$set.llvm.out" --list 0 \
        --frames "$set.frames" | sed 's/^/    /'
      cmp -s "$set.cold.out" "$set.warm.out" && echo "    (cold and warm outputs identical)"
      cmp -s "$set.dcold.out" "$set.dwarm.out" && echo "    (default cold and warm outputs identical)"
      python3 "$root/bench/symbolizer/compare.py" "$set.addrs" "$set.cold.out" "$set.llvm.out" --list 100000 \
        > "$set.vs-llvm.txt"
      if [ -s "$set.a2l.out" ] && [ "$n" -le "$a2l_max" ]; then
        echo "Agreement, bench flags (cold) vs addr2line:"
        python3 "$root/bench/symbolizer/compare.py" "$set.addrs" "$set.cold.out" "$set.a2l.out" --list 0 \
          --frames "$set.frames" | sed 's/^/    /'
      fi
    } | tee -a "$details"
    for flags in bench default; do
      read -r _ cw _ cm <<< "$(med $flags-cold)"
      read -r _ ww _ wm <<< "$(med $flags-warm)"
      awk -v k="$label" -v n="$n${UNIQUE:+ unambiguous}" -v f="$flags" -v cw="$cw" -v ww="$ww" -v cm="$cm" -v wm="$wm" -v lw="$llvm_w" \
        -v cc="$(medcpu $flags-cold)" -v wc="$(medcpu $flags-warm)" -v lc="$llvm_cpu" \
        -v lm="$llvm_m" -v load="$load0 -> $load1" 'BEGIN { printf "| %s | %s | %s | %.2f | %.2f | %.2f | %.3f | %.3f | %.3f | %.3f | %.0f / %.0f | %.2f | %s |\n",
          k, n, f, cw, ww, lw, cw / lw, ww / lw, cc / lc, wc / lc, cm / 1024, wm / 1024, cm / lm, load }' >> "$summary"
    done
  done

  # First run: a 30-frame report on a vmlinux never seen before, default command line, fresh cache.
  python3 "$root/bench/symbolizer/gen_frames.py" "$vmlinux" "$first" 3 "$dir/first"
  rows="$dir/rows-first.txt"
  : > "$rows"
  load0=$(loadavg)
  for ((r = 0; r < repeat; r++)); do
    fresh="$dir/xdg-first"
    rm -rf "$fresh"
    mkdir -p "$fresh"
    timed first "$dir/first.frames" "$dir/first.out" env XDG_CACHE_HOME="$fresh" "$ktriage" addr2line \
      --vmlinux "$vmlinux" -f -i
    wait_index "$fresh/ktriage" "$id"
    timed llvm "$dir/first.addrs" "$dir/first.llvm.out" llvm-symbolizer --obj="$vmlinux" --inlines \
      --output-style=GNU -f
    # The floors: the same command on no input at all, with the index built and on a never-seen
    # vmlinux: what a run costs before its first answer (JVM start, symbol table or index open).
    timed floor-warm /dev/null "$dir/floor.out" env XDG_CACHE_HOME="$warm_xdg" "$ktriage" addr2line \
      --vmlinux "$vmlinux" -f -i
    rm -rf "$fresh"
    mkdir -p "$fresh"
    timed floor-first /dev/null "$dir/floor.out" env XDG_CACHE_HOME="$fresh" "$ktriage" addr2line \
      --vmlinux "$vmlinux" -f -i
    wait_index "$fresh/ktriage" "$id"
  done
  load1=$(loadavg)
  med() { awk -v n="$1" '$1 == n' "$rows" | sort -k2 -n | awk '{ a[NR] = $0 } END { if (NR) print a[int((NR + 1) / 2)] }'; }
  read -r _ fw fc fm <<< "$(med first)"
  read -r _ lw lc lm <<< "$(med llvm)"
  awk -v k="$label" -v n="$first" -v fw="$fw" -v fm="$fm" -v lw="$lw" -v lm="$lm" -v load="$load0 -> $load1" \
    -v fc="$(medcpu first)" -v lc="$(medcpu llvm)" \
    'BEGIN { printf "| %s | %d | first run (default, never seen) | %.2f | | %.2f | %.3f | | %.3f | | %.0f | %.2f | %s |\n",
      k, n, fw, lw, fw / lw, fc / lc, fm / 1024, fm / lm, load }' >> "$summary"
  read -r _ aw _ am <<< "$(med floor-warm)"
  read -r _ bw _ bm <<< "$(med floor-first)"
  awk -v k="$label" -v aw="$aw" -v ac="$(medcpu floor-warm)" -v am="$am" -v bw="$bw" -v bc="$(medcpu floor-first)" \
    -v bm="$bm" -v lw="$lw" -v lc="$(medcpu llvm)" -v load="$load0 -> $load1" \
    'BEGIN { printf "| %s | %.2f / %.2f / %.0f | %.2f / %.2f / %.0f | %.2f / %.2f | %s |\n",
      k, aw, ac, am / 1024, bw, bc, bm / 1024, lw, lc, load }' >> "$floors"
  {
    echo
    echo "First run, $first frames, default command line, empty cache: ktriage $fw s / $((fm / 1024)) MiB,"
    echo "llvm-symbolizer $lw s / $((lm / 1024)) MiB (medians of $repeat; load $load0 -> $load1)"
    echo "stderr of the last first run:"
    env XDG_CACHE_HOME="$dir/xdg-first2" "$ktriage" addr2line --vmlinux "$vmlinux" -f -i < "$dir/first.frames" \
      2>&1 >/dev/null | sed 's/^/    /'
    wait_index "$dir/xdg-first2/ktriage" "$id"
    rm -rf "$dir/xdg-first2"
  } | tee -a "$details"
done
cat "$floors" >> "$summary"
echo
cat "$summary"
cat "$summary" "$details" > "$work/results-all.md"
echo "(tables: $summary; details: $details)"
