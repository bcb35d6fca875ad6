#!/usr/bin/env python3
"""Writes the console logs of ../shared/corpus/syzkaller/reports.jsonl as files (one per record,
<id>.log), for bench/ingest: as they are (a real mix of every oops kind, and logs with no crash), or as
templates for make-logs.py --source. Never into the repository: the corpus stays in ../shared.
"""
import json
import os
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: syzkaller-logs.py REPORTS_JSONL OUTDIR')
    os.makedirs(sys.argv[2], exist_ok=True)
    n = 0
    with open(sys.argv[1], encoding='utf-8') as f:
        for line in f:
            r = json.loads(line)
            with open(os.path.join(sys.argv[2], '%s.log' % r['id']), 'w', encoding='utf-8',
                      errors='surrogateescape') as out:
                out.write(r['log'])
            n += 1
    print('wrote %d logs to %s' % (n, sys.argv[2]))


if __name__ == '__main__':
    main()
