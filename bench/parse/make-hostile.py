#!/usr/bin/env python3
"""Builds the hostile logs of issue 19 item 1 for bench/parse/hostile.sh.

Shapes (each deterministic for a given --seed):
  unprefixed   one "BUG: KASAN:" line without a console prefix (executor output, a pasted report)
               ahead of N console-prefixed reports
  damaged-ts   the same with a damaged timestamp ("[  12.34" without its bracket) on that line
  unprefixed-oops
               the same with a lockdep report (kernel/locking/lockdep.c print_unlock_imbalance_bug())
               without console prefixes as the head: an oops report has no closing rule
  oops-tails   N prefixed reports of 7 tasks taking turns, every other round of 7 a WARNING
               (kernel/panic.c __warn()): each WARNING is interrupted by its task's next report and
               goes on collecting that task's lines as a tail (scan/OopsExtent)
  cr-joined    N reports whose lines are joined by bare '\\r' (a console that never sent '\\n'),
               with a 10,000-line <IRQ> segment in every --irq-every'th report (default 13: 5,000
               reports make ~190 MB, the size of the issue's input)
The reports follow mm/kasan/report.c print_report() and x86 show_trace_log_lvl(). A manifest beside
each log says how many reports a parser must find.
"""
import argparse
import random

FUNCS = ["foo_write", "bar_ioctl", "baz_rcv", "qux_open", "ext4_xattr_set_entry", "tcp_write_timer_handler"]


def report(r, t, caller, irq_lines=0):
    """One KASAN report as console lines (without prefix), and the time after it."""
    f = r.choice(FUNCS)
    lines = [
        "=" * 66,
        "BUG: KASAN: slab-out-of-bounds in %s+0x%x/0x%x" % (f, r.randrange(16, 512), r.randrange(512, 4096)),
        "Write of size %d at addr ffff8880%08x by task syz-executor.%d/%d" % (
            r.choice([1, 2, 4, 8]), r.randrange(1 << 32), r.randrange(8), r.randrange(1000, 30000)),
        "",
        "CPU: %d PID: %d Comm: syz-executor.%d Not tainted 6.8.0 #1" % (r.randrange(4), r.randrange(1000, 30000),
                                                                       r.randrange(8)),
        "Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3-debian-1.16.3-2 04/01/2014",
        "Call Trace:",
    ]
    if irq_lines:
        lines.append(" <IRQ>")
        for i in range(irq_lines):
            lines.append(" ? irq_noise_%d+0x%x/0x%x" % (i % 97, r.randrange(1, 256), r.randrange(256, 1024)))
        lines.append(" </IRQ>")
    lines += [
        " <TASK>",
        " dump_stack_lvl+0xd9/0x1b0",
        " print_report+0xc4/0x620",
        " kasan_report+0xd9/0x110",
        " %s+0x%x/0x%x" % (f, r.randrange(16, 512), r.randrange(512, 4096)),
        " __x64_sys_ioctl+0x18f/0x210",
        " do_syscall_64+0xd2/0x260",
        " entry_SYSCALL_64_after_hwframe+0x6f/0x77",
        " </TASK>",
        "",
        "Allocated by task %d:" % r.randrange(1000, 30000),
        " kasan_save_stack+0x33/0x60",
        " __kasan_kmalloc+0xaa/0xb0",
        " %s_alloc+0x%x/0x%x" % (f, r.randrange(16, 512), r.randrange(512, 4096)),
        " do_syscall_64+0xd2/0x260",
        "",
        "The buggy address belongs to the object at ffff8880%08x" % r.randrange(1 << 32),
        " which belongs to the cache kmalloc-64 of size 64",
        "=" * 66,
    ]
    out = []
    for body in lines:
        t += 0.000137
        out.append((t, caller, body))
    return out, t


def warning(r, t, caller):
    """One WARNING as kernel/panic.c __warn() prints it after report_bug()'s cut-here line."""
    f = r.choice(FUNCS)
    lines = [
        "------------[ cut here ]------------",
        "WARNING: CPU: %d PID: %d at fs/%s.c:%d %s+0x%x/0x%x" % (
            r.randrange(4), r.randrange(1000, 30000), f, r.randrange(10, 3000), f, r.randrange(16, 512),
            r.randrange(512, 4096)),
        "Modules linked in:",
        "CPU: %d PID: %d Comm: syz-executor.%d Not tainted 6.8.0 #1" % (r.randrange(4), r.randrange(1000, 30000),
                                                                       r.randrange(8)),
        "Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3-debian-1.16.3-2 04/01/2014",
        "RIP: 0010:%s+0x%x/0x%x" % (f, r.randrange(16, 512), r.randrange(512, 4096)),
        "RSP: 0018:ffffc90003b776b8 EFLAGS: 00010293",
        "Call Trace:",
        " <TASK>",
        " %s+0x%x/0x%x" % (f, r.randrange(16, 512), r.randrange(512, 4096)),
        " __x64_sys_ioctl+0x18f/0x210",
        " do_syscall_64+0xd2/0x260",
        " entry_SYSCALL_64_after_hwframe+0x6f/0x77",
        " </TASK>",
        "---[ end trace 0000000000000000 ]---",
    ]
    out = []
    for body in lines:
        t += 0.000137
        out.append((t, caller, body))
    return out, t


UNPREFIXED_LOCKDEP = """=====================================
WARNING: bad unlock balance detected!
6.1.0-rc8-syzkaller #0 Not tainted
-------------------------------------
syz-executor.2/8810 is trying to release lock (rcu_read_lock) at:
[<ffffffff88f7b2d1>] ipmr_mfc_seq_stop+0x41/0x70
but there are no more locks to release!

stack backtrace:
CPU: 1 PID: 8810 Comm: syz-executor.2 Not tainted 6.1.0-rc8-syzkaller #0
Call Trace:
 <TASK>
 dump_stack_lvl+0xd1/0x138
 lock_release+0x5a2/0x710
 ipmr_mfc_seq_stop+0x5a/0x70
 </TASK>
"""


def fmt(t, caller, body):
    return "[%12.6f][%6s] %s" % (t, caller, body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", choices=["unprefixed", "damaged-ts", "unprefixed-oops", "oops-tails", "cr-joined"],
                    required=True)
    ap.add_argument("--reports", type=int, required=True)
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--out", required=True)
    ap.add_argument("--irq-every", type=int, default=13)
    a = ap.parse_args()
    r = random.Random(a.seed)
    t = 10.0
    expected = a.reports
    with open(a.out, "w", newline="") as out:
        if a.shape in ("unprefixed", "damaged-ts", "unprefixed-oops"):
            head = "BUG: KASAN: use-after-free in pasted_report+0x10/0x20"
            if a.shape == "damaged-ts":
                head = "[    9.99" + head
            if a.shape == "unprefixed-oops":
                out.write("executing program\n" + UNPREFIXED_LOCKDEP)
            else:
                out.write("executing program\n" + head + "\nRead of size 8 at addr ffff888012345678 by task a/1\n")
            expected += 1
            for i in range(a.reports):
                lines, t = report(r, t, "T%d" % (1000 + i % 7))
                for x in lines:
                    out.write(fmt(*x) + "\n")
                out.write(fmt(t, "T1", "executing program %d" % i) + "\n")
        elif a.shape == "oops-tails":
            for i in range(a.reports):
                caller = "T%d" % (1000 + i % 7)
                lines, t = warning(r, t, caller) if i // 7 % 2 == 0 else report(r, t, caller)
                for x in lines:
                    out.write(fmt(*x) + "\n")
                out.write(fmt(t, "T1", "executing program %d" % i) + "\n")
        else:
            for i in range(a.reports):
                lines, t = report(r, t, "T%d" % (1000 + i % 7), irq_lines=10000 if i % a.irq_every == a.irq_every - 1 else 0)
                out.write("\r".join(fmt(*x) for x in lines) + "\r")
                out.write(fmt(t, "T1", "noise line %d" % i) + "\r\n")
    with open(a.out + ".manifest", "w") as m:
        m.write("reports=%d\n" % expected)


if __name__ == "__main__":
    main()
