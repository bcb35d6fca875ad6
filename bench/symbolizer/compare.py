#!/usr/bin/env python3
"""Compares addr2line-style outputs: ktriage vs llvm-symbolizer/addr2line (GNU style, -a -f -i).

usage: compare.py ADDRS KTRIAGE_OUT TOOL_OUT [--list N] [--frames FRAMES]
KTRIAGE_OUT is `ktriage addr2line -a -f -i` output (every candidate of an ambiguous frame under its own
address) or the older BatchResolve output (alternatives marked `# AMBIGUOUS+`); both are read.
Prints agreement percentages for innermost line, innermost file, full inline chain (file/line/depth), and
function names compared without .isra/.constprop/.part/.cold suffixes; then the classes of the
remaining disagreements (FRAMES, the func+off inputs in ADDRS order, names the __pfx_ padding symbols
among them); then lists disagreements.
"""
import re
import sys

SUFFIX = re.compile(r"(\.(isra|constprop|part|cold|llvm)(\.\d+)?)+$")


def read_lines(path):
    with open(path) as f:
        return [l.rstrip("\n") for l in f]


def frame(name, loc, llvm_column=False):
    """(function, file, line) from a function line and the location line after it; '??' is unknown."""
    loc = re.sub(r" \(discriminator \d+\)", "", loc)
    file, _, line = loc.rpartition(":")
    if llvm_column and re.search(r":\d+$", file):
        file, _, line = file.rpartition(":")
    line = 0 if line in ("?", "") else int(line)
    return (name if name != "??" else "", file if file != "??" else "", line)


def parse_blocks(path):
    """ktriage output: one block per input; alternatives of an ambiguous frame stay in the block."""
    blocks = []
    lines = read_lines(path)
    i = 0
    while i < len(lines):
        l = lines[i]
        i += 1
        if l.startswith("# "):
            blocks.append([(None, [])])
            continue
        m = re.match(r"^0x([0-9a-f]+)( # (\S+))?$", l)
        if m:
            alt = (int(m.group(1), 16), [])
            if m.group(3) and m.group(3).endswith("+"):
                blocks[-1].append(alt)
            else:
                blocks.append([alt])
            continue
        blocks[-1][-1][1].append(frame(l, lines[i]))
        i += 1
    return blocks


def parse(path):
    out, cur, key = {}, None, None
    lines = read_lines(path)
    i = 0
    while i < len(lines):
        l = lines[i]
        i += 1
        if not l or l.startswith("# "):
            continue
        m = re.match(r"^0x([0-9a-f]+)( #.*)?$", l)
        if m:
            key = int(m.group(1), 16)
            cur = out[key] = []  # a repeated address prints the same frames again
            continue
        cur.append(frame(l, lines[i], llvm_column=True))
        i += 1
    return out


def parse_ordered(path):
    """addr2line -a output as a list of (address, frames) in output order."""
    out = []
    lines = read_lines(path)
    i = 0
    while i < len(lines):
        l = lines[i]
        i += 1
        m = re.match(r"^0x([0-9a-f]+)$", l)
        if m:
            out.append((int(m.group(1), 16), []))
            continue
        out[-1][1].append(frame(l, lines[i]))
        i += 1
    return out


def norm(name):
    return SUFFIX.sub("", name)


def classify(kind, o, t):
    """The class of one disagreement (ktriage frames o, tool frames t), for the summary."""
    if kind == "missing":
        return "no ktriage answer"
    # Line 0 is "no line": a tool that still names a file there says nothing more than ktriage.
    t0 = [(x[0], "" if x[2] == 0 else x[1], x[2]) for x in t]
    o0 = [(x[0], "" if x[2] == 0 else x[1], x[2]) for x in o]
    if [(x[1], x[2]) for x in o0] == [(x[1], x[2]) for x in t0] and \
            [(x[1], x[2]) for x in o] != [(x[1], x[2]) for x in t]:
        return "tool names a file at line 0 (ktriage: no line, no file)"
    if [(x[1], x[2]) for x in o] == [(x[1], x[2]) for x in t]:
        if len(o) == len(t) and all(norm(x[0]) == norm(y[0]) for x, y in zip(o[:-1], t[:-1])):
            return "outermost function named differently (tool: ELF symbol, ktriage: DWARF name)"
        return "function names differ"
    if len(o) != len(t):
        return "inline depth differs"
    if o[0][2] != t[0][2]:
        return "innermost line differs"
    if [x[2] for x in o] == [x[2] for x in t]:
        return "file differs, lines agree"
    return "call-site line differs"


def main():
    addrs = [int(l, 16) for l in open(sys.argv[1]) if l.strip()]
    theirs = parse(sys.argv[3])
    ours, ambiguous = {}, 0
    if any(" # " in l for l in open(sys.argv[2])):
        blocks = parse_blocks(sys.argv[2])
        for a, block in zip(addrs, blocks):
            if len(block) > 1:
                ambiguous += 1
            pick = next((fr for addr, fr in block if addr == a), block[0][1])
            ours[a] = pick
    else:
        # ktriage addr2line: one answer per input, more when ambiguous, each under its candidate's
        # address. Blocks are matched to inputs in order: a block starts the next input unless it has
        # another address than that input and names the same outermost function as the current one
        # (then it is another candidate of the current input). A frame whose same-name copies all
        # resolve alike is printed once, under the first copy's address: it still matches by position.
        blocks = parse_ordered(sys.argv[2])
        j = 0
        for i, a in enumerate(addrs):
            if j >= len(blocks):
                break
            group = [blocks[j]]
            j += 1
            nxt = addrs[i + 1] if i + 1 < len(addrs) else None
            while j < len(blocks) and blocks[j][0] != nxt and blocks[j][1] and group[0][1] \
                    and norm(blocks[j][1][-1][0]) == norm(group[0][1][-1][0]):
                group.append(blocks[j])
                j += 1
            if len(group) > 1:
                ambiguous += 1
            ours[a] = next((fr for addr, fr in group if addr == a), group[0][1])
    listn = int(sys.argv[sys.argv.index("--list") + 1]) if "--list" in sys.argv else 20
    n = len(addrs)
    c = dict(line=0, file=0, file0=0, chain=0, func=0, depth=0, missing=0, unnamed=0)
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
        if o[0][1] == t[0][1] or t[0][2] == 0 and o[0][2] == 0 and o[0][1] == "":
            c["file0"] += 1
        if len(o) == len(t):
            c["depth"] += 1
        if [(x[1], x[2]) for x in o] == [(x[1], x[2]) for x in t]:
            c["chain"] += 1
        # Where the tool has no name (an address past the symbol's st_size, in padding), ktriage names
        # the kallsyms symbol, as the kernel does: not a disagreement.
        if len(o) == len(t) and all(norm(x[0]) == norm(y[0]) or y[0] == "" for x, y in zip(o, t)):
            c["func"] += 1
            if any(y[0] == "" and x[0] for x, y in zip(o, t)):
                c["unnamed"] += 1
        if [(x[1], x[2]) for x in o] != [(x[1], x[2]) for x in t] or c["func"] == 0 or not (
                len(o) == len(t) and all(norm(x[0]) == norm(y[0]) or y[0] == "" for x, y in zip(o, t))):
            diffs.append((a, "differ", o, t))
    names = [l.split("+", 1)[0] for l in open(sys.argv[sys.argv.index("--frames") + 1])] \
        if "--frames" in sys.argv else None
    name_of = dict(zip(addrs, names)) if names else {}
    classes = {}
    for a, kind, o, t in diffs:
        k = classify(kind, o, t)
        if name_of.get(a, "").startswith("__pfx_"):
            k += " [__pfx_ padding symbol]"
        classes[k] = classes.get(k, 0) + 1
    for k in ("line", "file", "depth", "chain", "func"):
        print(f"{k:6s} {100.0 * c[k] / n:7.3f}% ({c[k]}/{n})")
        if k == "file":
            print(f"file, line 0 read as no file {100.0 * c['file0'] / n:7.3f}% ({c['file0']}/{n})")
    print(f"missing {c['missing']}; tool unnamed, ktriage names kallsyms symbol: {c['unnamed']}; "
          f"ambiguous duplicates listed by ktriage: {ambiguous}")
    print(f"disagreements: {len(diffs)}")
    for k, v in sorted(classes.items(), key=lambda kv: -kv[1]):
        print(f"  {v:6d}  {k}")
    for a, kind, o, t in diffs[:listn]:
        print(f"0x{a:x} {kind}\n  ktriage: {o}\n  tool:    {t}")


if __name__ == "__main__":
    main()
