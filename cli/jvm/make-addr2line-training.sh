#!/usr/bin/env bash
# Writes addr2line-training.txt: the input of the launcher's training run for `addr2line` (see the
# AOT cache in ./ktriage). It should make that run load what a real one loads, against the kfix
# fixture: frames `name+0xoff/0xsize` (every offset of every function, kallsyms-style sizes), bare
# addresses and pasted call-trace lines, shuffled, because a batch of unsorted addresses takes a path
# through the JDK's sort that sorted input does not (its classes then come from the cache too).
# Deterministic: rerun after the fixture or its symbols change, and commit the result.
set -euo pipefail
cd "$(dirname "$0")"
symbols=../../testdata/symbolize/symbols.txt
log=../../testdata/symbolize/kasan-x86.log
{
  # Sorted by address, each function's size is the distance to the next (kallsyms), the last its own.
  rows=()
  while read -r addr size name; do
    rows+=("$((16#$addr)) $((16#$size)) $name")
  done < <(awk '$1 == "x86_64-dwarf5" { print $3, $4, $5 }' "$symbols" | sort)
  for ((i = 0; i < ${#rows[@]}; i++)); do
    read -r addr size name <<< "${rows[i]}"
    if ((i + 1 < ${#rows[@]})); then
      read -r next _ <<< "${rows[i + 1]}"
      size=$((next - addr))
    fi
    for ((off = 0; off < size; off++)); do
      printf '%s+0x%x/0x%x\n%x\n' "$name" "$off" "$size" "$((addr + off))"
    done
  done
  grep -E '^\[[ 0-9.]+\]\[ *T[0-9]+\]  (\? )?[a-z_.]+\+0x|RIP: ' "$log"
} | awk 'BEGIN { s = 12345 } { s = (s * 1103515245 + 12345) % 2147483648; printf "%010d\t%s\n", s, $0 }' \
  | sort | cut -f2- > addr2line-training.txt
wc -l < addr2line-training.txt
