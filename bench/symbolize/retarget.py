#!/usr/bin/env python3
"""Rewrites the frames of a console log so that they name the given vmlinux's functions correctly.

Each `name+0xOFF/0xSIZE` whose name is a text symbol of VMLINUX gets that symbol's kallsyms-style size
(distance to the next text symbol of its section) and an offset inside it (OFF modulo the size, moved off
0), so that a crash log from another build becomes one this vmlinux could have printed. Names the vmlinux
does not have are left alone. Used by run.sh to time `ktriage symbolize` on a realistic report.

usage: retarget.py VMLINUX < log > log
"""
import re
import subprocess
import sys


def kallsyms_sizes(vmlinux):
    secs = {}
    for line in subprocess.run(["readelf", "-SW", vmlinux], capture_output=True, text=True, check=True).stdout.splitlines():
        m = re.match(r"\s*\[\s*(\d+)\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+(\S*)", line)
        if m:
            secs[m.group(1)] = (int(m.group(3), 16), int(m.group(4), 16), "X" in m.group(5))
    syms = []
    for line in subprocess.run(["readelf", "-sW", vmlinux], capture_output=True, text=True, check=True).stdout.splitlines():
        f = line.split()
        if len(f) < 8 or f[3] not in ("FUNC", "NOTYPE") or not f[6].isdigit() or f[7].startswith(("$", ".L", "L0")):
            continue
        if f[6] in secs and secs[f[6]][2]:
            syms.append((int(f[1], 16), f[6], f[7]))
    syms.sort()
    sizes = {}
    for i, (addr, sec, name) in enumerate(syms):
        j = i + 1
        while j < len(syms) and syms[j][0] == addr:
            j += 1
        end = syms[j][0] if j < len(syms) and syms[j][1] == sec else secs[sec][0] + secs[sec][1]
        if end > addr and name not in sizes:
            sizes[name] = end - addr
    return sizes


def main():
    sizes = kallsyms_sizes(sys.argv[1])
    frame = re.compile(r"([A-Za-z_.][A-Za-z0-9_.]*)\+0x([0-9a-f]+)/0x([0-9a-f]+)")

    def fix(m):
        size = sizes.get(m.group(1))
        if size is None:
            return m.group(0)
        off = int(m.group(2), 16) % size or 1
        return f"{m.group(1)}+0x{off:x}/0x{size:x}"

    for line in sys.stdin:
        sys.stdout.write(frame.sub(fix, line))


if __name__ == "__main__":
    main()
