#!/usr/bin/env python3
"""Builds a large kernel console log for the parse benchmark.

Realistic noise (boot chatter, syzkaller executor output, device and filesystem messages, audit
lines, lines with capital Bs such as 'Bluetooth:' and 'BPF'), with printk timestamps and caller ids
as syzkaller consoles have them, and every --every megabytes one real-format KASAN or KCSAN report
taken from the project's own testdata logs (re-timestamped, caller id rewritten). With --kinds all,
the embedded reports also take turns with the oops kinds' testdata logs (WARNING, lockdep, BUG, hung
task, stall: every log there whose lines all carry a caller id, whole, each of its contexts mapped to
a task of its own; its report count from the log's .json). Deterministic for a given --seed. Writes a
manifest beside the log: how many reports were embedded.
"""
import argparse
import glob
import json
import os
import random
import re

NOISE = [
    "loop{n}: detected capacity change from 0 to {m}",
    "EXT4-fs (loop{n}): mounted filesystem without journal. Quota mode: none.",
    "EXT4-fs (loop{n}): unmounting filesystem.",
    "netdevsim netdevsim{n} netdevsim{m}: renamed from eth{n}",
    "IPv6: ADDRCONF(NETDEV_CHANGE): veth{n}: link becomes ready",
    "bridge0: port {n}(bridge_slave_{n}) entered forwarding state",
    "audit: type=1400 audit({m}.{n}:{m}): avc:  denied  {{ read }} for  pid={m} comm=\"syz-executor.{n}\"",
    "Bluetooth: hci{n}: command 0x0409 tx timeout",
    "Bluetooth: hci{n}: unexpected event for opcode 0x{m:04x}",
    "BPF: [{m}] Invalid name_off",
    "BTRFS info (device loop{n}): first mount of filesystem {m:08x}-1b2c-4d5e-8f90-123456789abc",
    "kworker/u4:{n} ({m}) used greatest stack depth: {m} bytes left",
    "syz-executor.{n}: vmalloc error: size {m}, page order 0, failed to allocate pages",
    "FAULT_INJECTION: forcing a failure.\nname failslab, interval 1, probability 0, space 0, times {n}",
    "random: crng reseeded on system resumption",
    "TCP: request_sock_TCP: Possible SYN flooding on port {m}. Sending cookies.",
    "nbd: socks must be embedded in a SOCK_STREAM socket",
    "device veth{n}_to_bridge entered promiscuous mode",
    "mac80211_hwsim: wmediumd released netlink socket, switching to perfect channel medium",
    "UDF-fs: error (device loop{n}): udf_fill_super: No partition found (2)",
]
PLAIN = ["executing program", "2026/11/21 10:{n:02d}:{m:02d} executed programs: {m}", "Warning: Permanently added '10.128.0.{n}' (ED25519) to the list of known hosts."]

PREFIX = re.compile(r"^(?:<\d+>)?\[\s*\d+\.\d+\](?:\[\s*([TC]\d+)\])? ?")


def split(line):
    """(context, body): the caller id (or '') and the line without its console prefix."""
    m = PREFIX.match(line)
    if not m:
        return None, line
    return (m.group(1) or ""), line[m.end():]


def report_bodies(root):
    """The complete reports (lines without prefix, one printk context) of every testdata log."""
    reports = []
    for path in sorted(glob.glob(os.path.join(root, "testdata", "**", "*.log"), recursive=True)):
        try:
            text = open(path, encoding="utf-8", errors="replace").read()
        except OSError:
            continue
        lines = [split(l) for l in text.splitlines()]
        for i, (ctx, body) in enumerate(lines):
            if not (body.startswith("BUG: KASAN: ") or body.startswith("BUG: KCSAN: ")):
                continue
            same = [b for c, b in lines[max(0, i - 3):i] if c == ctx]
            report = [same[-1]] if same and same[-1].startswith("=====") else []
            report.append(body)
            for c, b in lines[i + 1:i + 1000]:
                if c != ctx:
                    continue
                report.append(b)
                if b.startswith("====="):
                    reports.append(report)
                    break
    return reports


# testdata directories of the oops kinds main parses (issue 16), for --kinds all.
OOPS_DIRS = ["warning", "lockdep", "bug", "hang", "stall"]
CALLER = re.compile(r"^\[\s*\d+\.\d+\]\[\s*([TC]\d+)\] ?")


def oops_logs(root):
    """(lines as (context, body), report count) of every oops testdata log with caller ids on all lines."""
    logs = []
    for d in OOPS_DIRS:
        for path in sorted(glob.glob(os.path.join(root, "testdata", "logs", d, "*.log"))):
            golden = path[:-4] + ".json"
            if not os.path.exists(golden):
                continue
            lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
            ms = [CALLER.match(l) for l in lines]
            if not lines or not all(ms):
                continue
            count = len(json.load(open(golden, encoding="utf-8")))
            if count:
                logs.append(([(m.group(1), l[m.end():]) for m, l in zip(ms, lines)], count))
    return logs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1G", help="target size, e.g. 1G, 200M")
    ap.add_argument("--every", type=float, default=4.0, help="megabytes between embedded reports")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    ap.add_argument("--out", required=True)
    ap.add_argument("--kinds", choices=["sanitizers", "all"], default="sanitizers")
    a = ap.parse_args()
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    size = int(float(a.size[:-1]) * units[a.size[-1]]) if a.size[-1] in units else int(a.size)
    rnd = random.Random(a.seed)
    # Each entry: (lines as (context, body), reports it holds).
    reports = [([("", b) for b in rep], 1) for rep in report_bodies(a.root)]
    if not reports:
        raise SystemExit("no KASAN/KCSAN reports found in testdata/ to embed")
    if a.kinds == "all":
        oops = oops_logs(a.root)
        mixed = []
        for i in range(max(len(reports), len(oops))):
            mixed.append(reports[i % len(reports)])
            mixed.append(oops[i % len(oops)])
        reports = mixed
    fresh = iter(range(30001, 10 ** 7))
    t = 10.0
    written = 0
    embedded = 0
    blocks = 0
    next_report = a.every * (1 << 20)
    tasks = [rnd.randint(2, 30000) for _ in range(64)]
    with open(a.out, "w", encoding="utf-8") as out:
        buf = []
        while written < size:
            t += rnd.random() * 0.002
            if written >= next_report:
                rep, count = reports[blocks % len(reports)]
                task = rnd.choice(tasks)
                others = [x for x in tasks if x != task]
                # An oops log's own contexts each get a task (or cpu) no noise line uses.
                own = {}
                for ctx, l in rep:
                    if ctx:
                        caller = own.setdefault(ctx, ctx[0] + str(next(fresh)))
                    else:
                        caller = "T%d" % task
                    t += 0.000007
                    buf.append("[%6d.%06d][%6s] %s\n" % (int(t), int(t * 1e6) % 1000000, caller, l))
                    if rnd.random() < 0.2:
                        # Another task's line printed in the middle of the report (caller ids keep them apart).
                        msg = rnd.choice(NOISE).format(n=rnd.randint(0, 9), m=rnd.randint(0, 65535)).split("\n")[0]
                        buf.append("[%6d.%06d][%6s] %s\n" % (int(t), int(t * 1e6) % 1000000, "T%d" % rnd.choice(others), msg))
                embedded += count
                blocks += 1
                next_report += a.every * (1 << 20)
            elif rnd.random() < 0.08:
                buf.append(rnd.choice(PLAIN).format(n=rnd.randint(0, 59), m=rnd.randint(0, 59)) + "\n")
            else:
                msg = rnd.choice(NOISE).format(n=rnd.randint(0, 9), m=rnd.randint(0, 65535))
                for part in msg.split("\n"):
                    buf.append("[%6d.%06d][%6s] %s\n" % (int(t), int(t * 1e6) % 1000000, "T%d" % rnd.choice(tasks), part))
            if len(buf) >= 20000:
                s = "".join(buf)
                out.write(s)
                written += len(s)
                buf = []
        out.write("".join(buf))
    with open(a.out + ".manifest", "w") as m:
        m.write("reports=%d\n" % embedded)
    print("wrote %s: %d bytes, %d reports embedded" % (a.out, os.path.getsize(a.out), embedded))


if __name__ == "__main__":
    main()
