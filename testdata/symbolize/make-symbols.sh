#!/usr/bin/env bash
# Writes symbols.txt: the sized function symbols of the kfix fixtures the symbolize tests use, one per
# line as "<fixture> <section> <value> <st_size> <name>" (value and size in hex, value relative to
# the section for the ET_REL module). The tests derive kallsyms-style sizes from it (distance to the
# next symbol of the section, st_size for the last) and look addresses up in the committed
# addr2line truth beside each fixture. Needs binutils (readelf).
set -euo pipefail
cd "$(dirname "$0")"
kfix=../elf/kfix
{
  for fx in x86_64-dwarf5 module-x86_64; do
    elf="$kfix/$fx/kfix.elf"
    # Section index -> name.
    declare -A secname=()
    while read -r idx name; do
      secname[$idx]=$name
    done < <(readelf -SW "$elf" | sed -n 's/^ *\[ *\([0-9]*\)\] \([^ ]*\) .*/\1 \2/p')
    readelf -sW "$elf" | awk '$4 == "FUNC" && $3 != "0" { print $7, $2, $3, $8 }' | while read -r ndx val size name; do
      printf '%s %s %x %x %s\n' "$fx" "${secname[$ndx]}" "$((16#$val))" "$size" "$name"
    done
    unset secname
  done
} > symbols.txt
