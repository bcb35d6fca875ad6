#!/usr/bin/env python3
"""Compares addr2line-style outputs: ktriage's BatchResolve vs llvm-symbolizer/addr2line (GNU style, -a -f -i).

usage: compare.py ADDRS KTRIAGE_OUT TOOL_OUT [--list N]
Prints agreement percentages for innermost line, innermost file, full inline chain (file/line/depth), and
function names compared without .isra/.constprop/.part/.cold suffixes; then lists disagreements.
"""
import re
import sys

SUFFIX = re.compile(r"(\.(isra|constprop|part|cold|llvm)(\.\d+)?)+$")


def parse(path):
    out, cur, key = {}, None, None
    with open(path) as f:
        lines = [l.rstrip("\n") for l in f]
    i = 0
    while i < len(lines):
        l = lines[i]
        i += 1
        if not l or l.startswith("# "):
            continue
        m = re.match(r"^0x([0-9a-f]+)( #.*)?$", l)
        if m:
            key = int(m.group(1), 16)
            cur = out.setdefault(key, [])
            continue
        loc = re.sub(r" \(discriminator \d+\)", "", lines[i])
        i += 1
        file, _, line = loc.rpartition(":")
        if re.search(r":\d+$", file):  # llvm column
            file, _, line = file.rpartition(":")
        line = 0 if line in ("?", "") else int(line)
        cur.append((l if l != "??" else "", file if file != "??" else "", line))
    return out


def norm(name):
    return SUFFIX.sub("", name)


def main():
    addrs = [int(l, 16) for l in open(sys.argv[1]) if l.strip()]
    ours, theirs = parse(sys.argv[2]), parse(sys.argv[3])
    listn = int(sys.argv[sys.argv.index("--list") + 1]) if "--list" in sys.argv else 20
    n = len(addrs)
    c = dict(line=0, file=0, chain=0, func=0, depth=0, missing=0)
    diffs = []
    for a in addrs:
        o, t = ours.get(a), theirs.get(a)
        if o is None:
            c["missing"] += 1
            diffs.append((a, "missing", None, t))
            continue
        if o[0][2] == t[0][2]:
            c["line"] += 1
        if o[0][1] == t[0][1]:
            c["file"] += 1
        if len(o) == len(t):
            c["depth"] += 1
        if [(x[1], x[2]) for x in o] == [(x[1], x[2]) for x in t]:
            c["chain"] += 1
        if [norm(x[0]) for x in o] == [norm(x[0]) for x in t]:
            c["func"] += 1
        if [(norm(x[0]), x[1], x[2]) for x in o] != [(norm(x[0]), x[1], x[2]) for x in t]:
            diffs.append((a, "differ", o, t))
    for k in ("line", "file", "depth", "chain", "func"):
        print(f"{k:6s} {100.0 * c[k] / n:7.3f}% ({c[k]}/{n})")
    print(f"missing {c['missing']}")
    print(f"disagreements: {len(diffs)}")
    for a, kind, o, t in diffs[:listn]:
        print(f"0x{a:x} {kind}\n  ktriage: {o}\n  tool:    {t}")


if __name__ == "__main__":
    main()
