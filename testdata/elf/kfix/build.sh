#!/usr/bin/env bash
# Builds the kfix fixtures and records the truth of the installed tools beside them.
#
# Each variant directory holds:
#   kfix.elf             the binary (ET_EXEC, or ET_REL for module-*)
#   addresses.txt        every address of every sized function symbol (module-*: "section offset")
#   addr2line.txt        `addr2line -a -f -i` output for those addresses (module-*: with -j section)
#   llvm-symbolizer.txt  `llvm-symbolizer --inlines --output-style=GNU -a -f` output (ET_EXEC, not zstd)
# Tools used to write the committed files: gcc 12.2.0, binutils 2.40 (as/ld/addr2line), LLVM 14
# (llvm-symbolizer); the clang variant: Debian clang 14.0.6 and ld.lld 14 (apt-get install clang lld).
# -fdebug-prefix-map gives the same relative comp_dir shape as Debian's kernel
# (debian/build/build_amd64_none_cloud-amd64), and makes the output independent of this checkout's path.
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
srcs=(main.c alpha.c beta.c gamma.c)
common=(-O2 -g -ffreestanding -fno-pie -fno-stack-protector -fcf-protection=none
        -fno-asynchronous-unwind-tables -fdebug-prefix-map="$here"=debian/build/kfix)

# name | extra compile flags | extra link flags
variants=(
  "x86_64-dwarf5||"
  "x86_64-dwarf4|-gdwarf-4|"
  "x86_64-dwarf5-zlib|-gz=zlib|-Wl,--compress-debug-sections=zlib-gabi"
  "x86_64-dwarf5-zstd||-Wl,--compress-debug-sections=zstd"
  "x86_64-dwarf4-zdebug|-gdwarf-4|-Wl,--compress-debug-sections=zlib-gnu"
  "i386-dwarf5|-m32|-m32"
)

truth_exec() {
  local dir=$1
  nm -S --defined-only "$dir/kfix.elf" | while read -r start size type name; do
    case "$type" in t|T) ;; *) continue ;; esac
    [ -n "$name" ] || continue
    for ((a = 16#$start; a < 16#$start + 16#$size; a++)); do printf '0x%x\n' "$a"; done
  done > "$dir/addresses.txt"
  addr2line -a -f -i -e "$dir/kfix.elf" < "$dir/addresses.txt" > "$dir/addr2line.txt"
  # LLVM 14 cannot read zstd-compressed sections; that variant is checked against addr2line only.
  case "$dir" in *zstd*) return ;; esac
  llvm-symbolizer --obj="$dir/kfix.elf" --inlines --output-style=GNU -a -f \
    < "$dir/addresses.txt" > "$dir/llvm-symbolizer.txt"
}

for v in "${variants[@]}"; do
  IFS='|' read -r name cflags lflags <<< "$v"
  dir="$here/$name"
  mkdir -p "$dir"
  tmp=$(mktemp -d)
  objs=()
  for s in "${srcs[@]}" entry.S; do
    # shellcheck disable=SC2086
    gcc "${common[@]}" $cflags -c "$s" -o "$tmp/${s%.*}.o"
    objs+=("$tmp/${s%.*}.o")
  done
  # shellcheck disable=SC2086
  gcc -nostdlib -static -no-pie -Wl,--build-id=sha1 $cflags $lflags -o "$dir/kfix.elf" "${objs[@]}"
  rm -rf "$tmp"
  truth_exec "$dir"
done

# module-x86_64: a relocatable object like a .ko (ld -r, one section per function, all at address 0),
# whose .rela.debug_* must be applied and whose addresses are section-relative.
dir="$here/module-x86_64"
mkdir -p "$dir"
tmp=$(mktemp -d)
for s in alpha.c beta.c gamma.c; do
  gcc "${common[@]}" -ffunction-sections -c "$s" -o "$tmp/${s%.c}.o"
done
ld -r --build-id=sha1 -o "$dir/kfix.elf" "$tmp/alpha.o" "$tmp/beta.o" "$tmp/gamma.o"
rm -rf "$tmp"
: > "$dir/addresses.txt"
: > "$dir/addr2line.txt"
# Symbols: value size type bind ... section-index name. readelf -W lists Ndx numerically.
readelf -sW "$dir/kfix.elf" | awk '$4 == "FUNC" && $3 != "0" { print $7, $2, $3 }' | while read -r ndx val size; do
  sec=$(readelf -SW "$dir/kfix.elf" | sed -n "s/^ *\[ *$ndx\] \([^ ]*\) .*/\1/p")
  start=$((16#$val)); n=$((size))
  for ((a = start; a < start + n; a++)); do printf '%s 0x%x\n' "$sec" "$a"; done
done | sort -u -k1,1 -k2,2 > "$dir/addresses.txt"
while read -r sec addr; do
  printf '@ %s\n' "$sec"
  addr2line -a -f -i -j "$sec" -e "$dir/kfix.elf" "$addr"
done < "$dir/addresses.txt" > "$dir/addr2line.txt"
# x86_64-clang-dwarf5: the same sources built by clang 14 and linked by ld.lld, as a clang kernel
# (LLVM=1) is: DWARF 5 the clang way (DW_FORM_strx/addrx/rnglistx with .debug_str_offsets,
# .debug_addr and the bases on each unit, .debug_aranges only for the assembler unit), plus kasan.c
# built with -fsanitize=kernel-address, whose report calls return to an instruction of line 0. The
# truth to test against is llvm-symbolizer's: binutils 2.40 drops inline frames of clang's DWARF 5.
dir="$here/x86_64-clang-dwarf5"
mkdir -p "$dir"
tmp=$(mktemp -d)
clang_common=(-O2 -g -gdwarf-5 -ffreestanding -fno-pie -fno-stack-protector -fcf-protection=none
        -fno-asynchronous-unwind-tables -fdebug-prefix-map="$here"=debian/build/kfix)
objs=()
for s in "${srcs[@]}" entry.S; do
  clang "${clang_common[@]}" -c "$s" -o "$tmp/${s%.*}.o"
  objs+=("$tmp/${s%.*}.o")
done
# Inline checks (no call threshold), no stack or global instrumentation (the fixture needs no runtime).
clang "${clang_common[@]}" -fsanitize=kernel-address -mllvm -asan-stack=0 -mllvm -asan-globals=0 \
  -c kasan.c -o "$tmp/kasan.o"
objs+=("$tmp/kasan.o")
clang -fuse-ld=lld -nostdlib -static -Wl,--build-id=sha1 -o "$dir/kfix.elf" "${objs[@]}"
rm -rf "$tmp"
truth_exec "$dir"

echo "built: $(ls -d "$here"/*/ | wc -l) variants"

# kfix-nodwarf: the DWARF 5 binary without debug sections (symbols only), beside this directory.
mkdir -p "$here/../kfix-nodwarf"
objcopy --strip-debug "$here/x86_64-dwarf5/kfix.elf" "$here/../kfix-nodwarf/kfix.elf"
