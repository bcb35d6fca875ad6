#!/usr/bin/env python3
"""Generates random kernel frames `name+0xOFF/0xSIZE` from a vmlinux symbol table, with a fixed seed.

SIZE is the kallsyms-style size (distance to the next text symbol at a higher address in the same
section; the last symbol of a section ends at the section end), i.e. what an oops prints. Only
FUNC/NOTYPE symbols of executable sections are used, without $x/.L/L0 labels, as ktriage does.

usage: gen_frames.py VMLINUX COUNT SEED OUT_PREFIX [--unique]
--unique: only frames whose name and size no other symbol shares. Without it a name shared by N
symbols (KASAN/KCSAN kernels have ~440 `_sub_I_65535_1` constructors, 6.12 many `__pfx_*.constprop.0`)
is drawn N times as often, and each such frame is N answers for ktriage (every candidate) but one for
the tools (the drawn address): on the KUnit kernels 6.5% of the frames make 94% of ktriage's answers.
writes OUT_PREFIX.frames (name+0xoff/0xsize) and OUT_PREFIX.addrs (0xADDR = symbol + off), one per line.
"""
import random
import re
import subprocess
import sys


def main():
    vmlinux, count, seed, prefix = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    sections = {}
    out = subprocess.run(["readelf", "-SW", vmlinux], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        m = re.match(r"\s*\[\s*(\d+)\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+(\S*)", line)
        if m:
            idx, name, addr, size, flags = m.groups()
            sections[idx] = (int(addr, 16), int(size, 16), "X" in flags)
    syms = []
    out = subprocess.run(["readelf", "-sW", vmlinux], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) < 8 or f[3] not in ("FUNC", "NOTYPE") or not f[6].isdigit():
            continue
        name = f[7]
        if name.startswith(("$", ".L", "L0")):
            continue
        sec = sections.get(f[6])
        if not sec or not sec[2]:
            continue
        syms.append((int(f[1], 16), f[6], name))
    syms.sort()
    frames = []
    for i, (addr, sec, name) in enumerate(syms):
        j = i + 1
        while j < len(syms) and syms[j][0] == addr:
            j += 1
        sa, ss, _ = sections[sec]
        end = syms[j][0] if j < len(syms) and syms[j][1] == sec else sa + ss
        if end > addr:
            frames.append((name, addr, end - addr))
    if "--unique" in sys.argv[5:]:
        shared = {}
        for name, _, size in frames:
            shared[(name, size)] = shared.get((name, size), 0) + 1
        frames = [f for f in frames if shared[(f[0], f[2])] == 1]
    rng = random.Random(seed)
    with open(prefix + ".frames", "w") as ff, open(prefix + ".addrs", "w") as fa:
        for _ in range(count):
            name, addr, size = rng.choice(frames)
            off = rng.randrange(size)
            ff.write(f"{name}+0x{off:x}/0x{size:x}\n")
            fa.write(f"0x{addr + off:x}\n")


if __name__ == "__main__":
    main()
