#!/usr/bin/env python3
"""Agreement of `ktriage addr2line` with the KUnit truth files, frame by frame.

usage: truth.py KTRIAGE CORPUS_DIR VMLINUX_DIR [--list N]

CORPUS_DIR is ../shared/corpus/kunit (symbolize-truth-{kasan,kcsan}.jsonl: 5,302 frames of the four
boots with what `addr2line -f -i` and llvm-symbolizer say at the address and at address - 1);
VMLINUX_DIR holds vmlinux-kasan and vmlinux-kcsan (the corpus's .xz files, decompressed).
Every entry's link-time address and address - 1 go through `KTRIAGE addr2line --vmlinux V -a -f -i
--exact --no-cache` (paths as users see them: relative to the tree; bare addresses: looked up as they are, as addr2line does); the
location chain (file:line per frame, innermost first; line 0 or none is "no line") is compared with
addr2line's at both, and the function names (without .isra/.constprop/.part/.cold) separately.
Where binutils 2.40 names the unit's file instead of the line's (PR 30783), llvm-symbolizer's file
at the same line is taken. Prints the figures per kernel and kind, then the disagreements.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import norm, parse  # noqa: E402


def chain(tool, llvm):
    out = []
    for i, f in enumerate(tool):
        file, line = f["file"], f["line"] or 0
        if llvm and len(llvm) == len(tool):
            g = llvm[i]
            if (g["line"] or 0) == line and g["file"] != file:
                file = g["file"]
        file = file[2:] if file.startswith("./") else file
        out.append("" if line == 0 else f"{file}:{line}")
    return out


def ours(frames):
    return ["" if line == 0 else f"{file[2:] if file.startswith('./') else file}:{line}"
            for _, file, line in frames]


def names(frames):
    return [norm(f) for f in frames]


def main():
    ktriage, corpus, vmdir = sys.argv[1:4]
    listn = int(sys.argv[sys.argv.index("--list") + 1]) if "--list" in sys.argv else 20
    total = {}
    diffs = []
    for kernel in ("kasan", "kcsan"):
        entries = [json.loads(l) for l in open(os.path.join(corpus, f"symbolize-truth-{kernel}.jsonl"))]
        addrs = sorted({int(e[k], 16) for e in entries for k in ("address_hex", "address_minus1_hex")})
        with tempfile.NamedTemporaryFile("w", suffix=".addrs", delete=False) as f:
            f.write("".join(f"{a:x}\n" for a in addrs))
        out = tempfile.NamedTemporaryFile(suffix=".out", delete=False).name
        with open(f.name) as stdin, open(out, "w") as stdout:
            subprocess.run([ktriage, "addr2line", "--vmlinux", os.path.join(vmdir, "vmlinux-" + kernel), "-a", "-f",
                            "-i", "--exact", "--no-cache"], stdin=stdin, stdout=stdout, check=True)
        got = parse(out)
        os.unlink(f.name)
        os.unlink(out)
        for e in entries:
            for at, tool, llvm in (("pc", "addr2line", "llvm_symbolizer"),
                                   ("pc-1", "addr2line_minus1", "llvm_symbolizer_minus1")):
                a = int(e["address_hex" if at == "pc" else "address_minus1_hex"], 16)
                o = got.get(a, [])
                key = (kernel, e["kind"], at)
                t = total.setdefault(key, [0, 0, 0])
                t[0] += 1
                want = chain(e[tool], e.get(llvm))
                loc_ok = ours(o) == want
                # addr2line names a data address by the nearest ELF symbol (__bss_start), llvm by
                # none: function names are compared where addr2line names a function with a line.
                want_names = names(f["function"] for f in e[tool])
                name_ok = names(x[0] for x in o) == want_names or all(w == "" for w in want)
                t[1] += loc_ok
                t[2] += name_ok
                if not (loc_ok and name_ok):
                    diffs.append((key, e["log"], e["line_no"], e["frame_text"], hex(a),
                                  [f"{x[0]} {x[1]}:{x[2]}" for x in o],
                                  [f"{f['function']} {f['file']}:{f['line']}" for f in e[tool]]))
    print("| kernel | kind | looked up at | frames | location chain agrees | function agrees |")
    print("|---|---|---|---|---|---|")
    sums = {}
    for (kernel, kind, at), (n, loc, name) in sorted(total.items()):
        print(f"| {kernel} | {kind} | {at} | {n} | {loc} ({100.0 * loc / n:.2f}%) | {name} ({100.0 * name / n:.2f}%) |")
        s = sums.setdefault(at, [0, 0, 0])
        s[0] += n
        s[1] += loc
        s[2] += name
    for at, (n, loc, name) in sorted(sums.items()):
        print(f"| all | all | {at} | {n} | {loc} ({100.0 * loc / n:.3f}%) | {name} ({100.0 * name / n:.3f}%) |")
    print(f"disagreements: {len(diffs)}")
    for d in diffs[:listn]:
        print(f"  {d[0]} {d[1]}:{d[2]} {d[3]} {d[4]}\n    ktriage:   {d[5]}\n    addr2line: {d[6]}")


if __name__ == "__main__":
    main()
