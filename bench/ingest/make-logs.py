#!/usr/bin/env python3
"""Writes N console logs for the end-to-end ingest benchmark, varied from testdata/clusters/logs
(or from the logs in --source: e.g. the syzkaller corpus's logs for a mix of every oops kind, written
out by syzkaller-logs.py, or real KUnit boots for a symbolized run with --bugs 1).

Each output log is one of the 80 labeled logs (KASAN and KCSAN reports of 41 bugs in every console
format the corpus has) with what differs between real crashes of one bug changed: heap addresses
(XOR with a per-log value, so objects and shadow rows stay consistent within the log), pids, and
printk timestamps (a per-log shift). Every `--bugs`-th log moves its reports to another synthetic
bug by adding a bucket suffix to the function names of its frames (not to sanitizer and report
frames, whose names the guilty-frame rules know), so the store sees many distinct stacks.
"""
import argparse
import os
import random
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
HEAP = re.compile(r'ffff[0-9a-f]{12}')
PID = re.compile(r'(PID: |pid=|task [\w.:-]+/|by task )(\d+)')
STAMP = re.compile(r'^(<\d>)?\[ *(\d+)\.(\d{6})\]', re.M)
FRAME = re.compile(r'(?<![\w.])([a-z][a-z0-9_]*)(\+0x[0-9a-f]+/0x[0-9a-f]+)')
# Names left alone: the sanitizer, report printing and entry code the guilty-frame rules skip.
KEEP = re.compile(r'kasan|kcsan|asan|dump_stack|print_|show_stack|report|entry|do_syscall|'
                  r'kmalloc|kmem_cache|kfree|slab|alloc|free|memcpy|memset|strcpy|strlen|copy_')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--logs', type=int, default=20000)
    ap.add_argument('--bugs', type=int, default=5000, help='synthetic bug buckets')
    ap.add_argument('--out', required=True)
    ap.add_argument('--source', help='directory of template logs (*.log); default testdata/clusters/logs')
    a = ap.parse_args()
    src = a.source or os.path.join(ROOT, 'testdata', 'clusters', 'logs')
    templates = [open(os.path.join(src, f), encoding='utf-8', errors='surrogateescape').read()
                 for f in sorted(os.listdir(src)) if f.endswith('.log')]
    os.makedirs(a.out, exist_ok=True)
    rnd = random.Random(2026)
    for i in range(a.logs):
        t = templates[i % len(templates)]
        salt = rnd.getrandbits(36) << 4
        t = HEAP.sub(lambda m: 'ffff%012x' % (int(m.group(0)[4:], 16) ^ salt), t)
        t = PID.sub(lambda m: m.group(1) + str(rnd.randint(2, 32767)), t)
        shift = rnd.randint(0, 5000)
        t = STAMP.sub(lambda m: '%s[%5d.%s]' % (m.group(1) or '', int(m.group(2)) + shift, m.group(3)), t)
        bucket = (i // len(templates)) % a.bugs
        if bucket:
            t = FRAME.sub(lambda m: m.group(0) if KEEP.search(m.group(1))
                          else '%s_b%d%s' % (m.group(1), bucket, m.group(2)), t)
        with open(os.path.join(a.out, '%07d.log' % i), 'w', encoding='utf-8', errors='surrogateescape') as f:
            f.write(t)


if __name__ == '__main__':
    main()
