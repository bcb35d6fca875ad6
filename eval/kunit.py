#!/usr/bin/env python3
"""Clustering evaluation on the real KUnit KASAN/KCSAN reports (../shared/corpus/kunit), in one table.

usage: eval/kunit.py KTRIAGE CORPUS [--vmlinux-dir DIR] [--java JAVA --cp CLASSPATH] [--work DIR]

Runs `KTRIAGE ingest` + `KTRIAGE clusters` into fresh stores and prints, against the labels:
  - B-cubed and pairwise P/R/F1 without and with --vmlinux-dir (symbolized), beside the title and
    3-frame-state baselines computed exactly as ../shared/tools/score_clusters.py computes them;
  - the same split into the KASAN boots and the KCSAN boots (tuned on neither alone: a check on overfitting);
  - leave-one-out "have we seen this crash?" top-1 of `similar` (eval/LeaveOneOut.java, with --java/--cp);
  - order independence: the share of reports whose cluster holds exactly the same reports when the logs are
    ingested in reverse order, and with 2 workers;
  - metamorphic variants (caller ids added, timestamps removed, KASLR-shifted addresses): the share of reports
    clustered exactly as in the plain run; and the nokaslr and kaslr boots of each kernel against each other.
Members are matched to labels as score_clusters.py does: the label whose [first_line - 3, last_line] holds
the member's first line in the same log.
"""
import argparse, collections, json, os, re, shutil, subprocess, sys, tempfile, zlib

ap = argparse.ArgumentParser()
ap.add_argument("ktriage"); ap.add_argument("corpus")
ap.add_argument("--vmlinux-dir"); ap.add_argument("--java"); ap.add_argument("--cp"); ap.add_argument("--work")
a = ap.parse_args()

labels = [json.loads(l) for l in open(os.path.join(a.corpus, "labels-kunit.jsonl"))]
logs = sorted({l["log"] for l in labels})


def index(labs):
    """log -> [(first_line, last_line, label index)]"""
    by = collections.defaultdict(list)
    for i, l in enumerate(labs):
        by[l["log"]].append((l["first_line"], l["last_line"], i))
    return by


by_log = index(labels)
work = a.work or tempfile.mkdtemp(prefix="ktriage-eval-")
os.makedirs(work, exist_ok=True)


def find(log, line, table=None):
    for f, la, i in (table if table is not None else by_log).get(log, []):
        if f - 3 <= line <= la:
            return i
    return None


def run(args, **kw):
    r = subprocess.run(args, capture_output=True, timeout=3600, **kw)
    if r.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (r.returncode, " ".join(args), r.stderr.decode("utf-8", "replace")[-2000:]))
    return r.stdout.decode("utf-8", "replace")


def members(obj):
    """(log, firstLine) pairs anywhere in a cluster object, as score_clusters.py finds them"""
    if isinstance(obj, dict):
        p = obj.get("path"); f = obj.get("firstLine")
        if isinstance(p, str) and isinstance(f, int):
            yield (os.path.basename(p), f)
        for v in obj.values():
            yield from members(v)
    elif isinstance(obj, list):
        for v in obj:
            if isinstance(v, str) and ":" in v:
                path, _, line = v.rpartition(":")
                if line.isdigit():
                    yield (os.path.basename(path), int(line)); continue
            yield from members(v)


def ingest(name, paths, extra=(), labs=None):
    """ingest paths into a fresh store; returns ({label index in labs: cluster}, store dir, ingest summary)"""
    table = index(labs) if labs is not None else by_log
    store = os.path.join(work, "store-" + name)
    shutil.rmtree(store, ignore_errors=True)
    summary = run([a.ktriage, "ingest", "--store", store, "--no-progress", *extra, *paths])
    out = run([a.ktriage, "clusters", "--store", store, "--format", "jsonl"])
    assign = {}
    for ci, line in enumerate(out.splitlines()):
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        cid = obj.get("id", ci)
        for log, fl in members(obj):
            i = find(log, fl, table)
            if i is not None:
                assign[i] = cid
    return assign, store, summary.strip()


def score(assign, items=None, labs=None):
    labs = labs if labs is not None else labels
    items = [i for i in (items if items is not None else range(len(labs)))]
    n = len(items)
    got = [i for i in items if i in assign]
    cl = collections.defaultdict(set); tr = collections.defaultdict(set)
    for i in got:
        cl[assign[i]].add(i); tr[labs[i]["label"]].add(i)
    bp = br = 0.0
    for i in got:
        c = cl[assign[i]]; t = tr[labs[i]["label"]]
        bp += len(c & t) / len(c); br += len(c & t) / len(t)
    bp /= n; br /= n  # reports never clustered count as misses, as in score_clusters.py
    f1 = 2 * bp * br / (bp + br) if bp + br else 0.0
    pair = lambda s: len(s) * (len(s) - 1) / 2
    same_c = sum(pair(c) for c in cl.values()); same_t = sum(pair(t) for t in tr.values())
    both = sum(pair(cl[k] & tr[t]) for k in cl for t in tr)
    pp = both / same_c if same_c else 1.0; pr = both / same_t if same_t else 1.0
    pf = 2 * pp * pr / (pp + pr) if pp + pr else 0.0
    return dict(bp=bp, br=br, bf=f1, pp=pp, pr=pr, pf=pf, k=len(cl), n=len(got))


def same_clusters(x, y):
    """share of the reports clustered in both assignments whose cluster holds exactly the same of those
    reports in both (a report one run does not store, such as a byte-identical repeat once timestamps are
    gone, which the store keeps once by design, is left out of both)"""
    keys = set(x) & set(y)
    cx = collections.defaultdict(set); cy = collections.defaultdict(set)
    for i in keys:
        cx[x[i]].add(i); cy[y[i]].add(i)
    same = sum(1 for i in keys if cx[x[i]] == cy[y[i]])
    return same / len(keys) if keys else 1.0


def baselines(paths):
    """the title and 3-frame-state baselines, computed as score_clusters.py computes them"""
    out = run([a.ktriage, "parse", "--format", "jsonl", *paths])
    title = {}; state3 = {}
    ignore = ("kasan", "__asan", "kcsan", "__tsan", "dump_stack", "show_stack", "print_", "printk", "report",
              "memcpy", "memset", "memmove", "strlen", "strcpy", "kmem_cache", "kmalloc", "kfree", "slab_",
              "__slab", "___slab", "ret_from_fork", "kthread", "entry_", "do_syscall")
    for line in out.splitlines():
        try:
            rep = json.loads(line); src = rep["source"]
        except (ValueError, KeyError):
            continue
        i = find(os.path.basename(src["path"]), src.get("firstLine", -99))
        if i is None:
            continue
        title[i] = rep.get("title")
        stacks = rep.get("stacks") or []
        acc = next((st for st in stacks if st.get("role") in ("access", "racing1", "race1")), stacks[0] if stacks else {})
        fr = [f.get("function") or "" for f in acc.get("frames") or [] if f.get("reliable", True)]
        fr = [f.split(".")[0] for f in fr if f and not any(x in f for x in ignore)]
        state3[i] = (rep.get("tool"), rep.get("bugType"), tuple(fr[:3]))
    return title, state3


def loo(store):
    if not (a.java and a.cp):
        return None
    tsv = os.path.join(work, "labels.tsv")
    with open(tsv, "w") as f:
        for l in labels:
            for line in range(l["first_line"] - 3, l["last_line"] + 1):
                f.write("%s\t%d\t%s\n" % (l["log"], line, l["label"]))
    here = os.path.dirname(os.path.abspath(__file__))
    out = run([a.java, "--enable-native-access=ALL-UNNAMED", "-cp", a.cp, os.path.join(here, "LeaveOneOut.java"), store, tsv])
    m = re.search(r"loo asked (\d+) top1 (\d+) share ([0-9.]+)", out)
    return (int(m.group(1)), int(m.group(2)), float(m.group(3)))


# ---- variants of the logs: what real logs from other kernels differ in, applied to these ----
# Each transform maps a log's lines to new lines and says where each old line went (None: dropped), so the
# labels follow the reports. None of them looks at a test's name: they rewrite formats, not content.
PREFIX = re.compile(r"^\[\s*\d+\.\d+\] ?")
ADDR = re.compile(r"\b(ffff[0-9a-f]{12})\b")
FRAME = re.compile(r"\b([A-Za-z_][\w.]*)\+0x([0-9a-f]+)/0x([0-9a-f]+)")
HEADER = re.compile(r"BUG: (KASAN|KCSAN):")
SECTION = re.compile(r"\] ?(Allocated by task|Freed by task|Last potentially related work creation:|"
                     r"Second to last potentially related work creation:)")


def report_spans(lines):
    """(begin, end) line indices of each report: the rule before the header to the closing rule"""
    for start, ln in enumerate(lines):
        if HEADER.search(ln):
            begin = start - 1 if start > 0 and "=====" in lines[start - 1] else start
            end = next((j for j in range(start + 1, len(lines)) if "=====" in lines[j]), len(lines) - 1)
            yield begin, start, end


def caller_ids(lines, cpu):
    """printk caller ids (CONFIG_PRINTK_CALLER): a report's lines carry its task's [T<pid>], or with cpu=True
    its CPU's [C<n>] (what an interrupt-context printk shows); the other lines [T1]"""
    ids = ["T1"] * len(lines)
    for begin, start, end in report_spans(lines):
        m = next((m for m in (re.search(r"CPU: (\d+) PID: (\d+)", lines[j]) for j in range(start, end + 1)) if m), None)
        cid = ("C" + m.group(1) if cpu else "T" + m.group(2)) if m else "T1"
        for j in range(begin, end + 1):
            ids[j] = cid
    return [re.sub(r"^(\[\s*\d+\.\d+\])", lambda mm: "%s[%6s]" % (mm.group(1), c), ln, count=1)
            for ln, c in zip(lines, ids)], list(range(len(lines)))


def other_build(lines):
    """another compiler's build of the same tree (gcc vs clang): every function gets another symbol size and
    its offsets move with it, by a factor from 0.80 to 1.20 that depends only on the function's name; the
    release string and #N stay (both builds print the same `6.1.192 #1`)"""
    def one(m):
        name, off, size = m.group(1), int(m.group(2), 16), int(m.group(3), 16)
        f = 0.8 + (zlib.crc32(name.split(".")[0].encode()) % 41) / 100.0
        size2 = max(int(round(size * f)), 1)
        off2 = min(int(round(off * f)), size2 - 1) if off < size else int(round(off * f))
        return "%s+0x%x/0x%x" % (name, off2, size2)
    return [FRAME.sub(one, ln) for ln in lines], list(range(len(lines)))


def interleaved(lines):
    """another CPU's console lines inside the reports (2-4 CPUs printing at once): after every fourth line of
    a report, a line another CPU printed with the same timestamp format"""
    out, where, inside = [], [], set()
    for begin, start, end in report_spans(lines):
        inside.update(range(start + 1, end))
    k = 0
    for i, ln in enumerate(lines):
        where.append(len(out)); out.append(ln)
        if i in inside:
            k += 1
            if k % 4 == 0:
                m = PREFIX.match(ln)
                out.append((m.group(0) if m else "") + "clocksource: timekeeping watchdog on CPU%d: hpet wd-wd read-back delay of %dns" % (k % 3, 1000 + k))
    return out, where


def trimmed(lines):
    """reports without their allocation and free stacks (stack depot off, or the kernel's stack ring already
    overwritten): each `Allocated by task N:` / `Freed by task N:` / work-creation section and its blank line go"""
    out, where, skip = [], [], False
    for ln in lines:
        if SECTION.search(ln):
            skip = True
        if skip:
            where.append(None)
            if PREFIX.sub("", ln).strip() == "":
                skip = False
            continue
        where.append(len(out)); out.append(ln)
    return out, where


TRANSFORMS = {
    "caller-ids": lambda ls: caller_ids(ls, False),
    "cpu-caller-ids": lambda ls: caller_ids(ls, True),
    "no-timestamps": lambda ls: ([PREFIX.sub("", ln, count=1) for ln in ls], list(range(len(ls)))),
    "kaslr-shifted": lambda ls: ([ADDR.sub(lambda mm: "%016x" % ((int(mm.group(1), 16) + 0x2a400000) & 0xffffffffffffffff), ln)
                                  for ln in ls], list(range(len(ls)))),
    "other-build": other_build,
    "interleaved": interleaved,
    "no-alloc-free": trimmed,
}


def variant(kind, prefix=""):
    """the corpus's logs rewritten by TRANSFORMS[kind] into a directory (file names get `prefix`), and their
    labels: a list parallel to `labels` with log names and lines moved"""
    d = os.path.join(work, "logs-" + kind)
    os.makedirs(d, exist_ok=True)
    moved = {}
    for log in logs:
        lines = open(os.path.join(a.corpus, log), encoding="utf-8", errors="replace").read().split("\n")
        out, where = TRANSFORMS[kind](lines)
        open(os.path.join(d, prefix + log), "w", encoding="utf-8").write("\n".join(out))
        moved[log] = where
    vlabels = []
    for l in labels:
        where = moved[l["log"]]
        first = where[l["first_line"] - 1]
        last = max(w for w in where[l["first_line"] - 1:l["last_line"]] if w is not None)
        vlabels.append(dict(l, log=prefix + l["log"], first_line=first + 1, last_line=last + 1))
    return [os.path.join(d, prefix + l) for l in logs], vlabels


paths = [os.path.join(a.corpus, l) for l in logs]
kasan_items = [i for i, l in enumerate(labels) if l["log"].startswith("kasan")]
kcsan_items = [i for i, l in enumerate(labels) if l["log"].startswith("kcsan")]

plain, store_plain, summary_plain = ingest("plain", paths, ["-j", "1"])
rows = []
title, state3 = baselines(paths)
rows.append(("title baseline", score(title), score(title, kasan_items), score(title, kcsan_items)))
rows.append(("3-frame state", score(state3), score(state3, kasan_items), score(state3, kcsan_items)))
rows.append(("ktriage", score(plain), score(plain, kasan_items), score(plain, kcsan_items)))
sym = None
if a.vmlinux_dir:
    sym, store_sym, summary_sym = ingest("symbolized", paths, ["-j", "1", "--vmlinux-dir", a.vmlinux_dir])
    rows.append(("ktriage --vmlinux-dir", score(sym), score(sym, kasan_items), score(sym, kcsan_items)))

print("KUnit corpus: %d reports, %d bugs (labels), logs %s" % (len(labels), len({l['label'] for l in labels}), ", ".join(logs)))
print("%-22s %-33s %-23s %-7s %-13s %-13s" % ("", "all: B-cubed P / R / F1", "pairwise P / R / F1", "clusters",
                                               "KASAN B3 F1", "KCSAN B3 F1"))
for name, s, sk, sc in rows:
    print("%-22s %.3f / %.3f / %.3f        %.3f / %.3f / %.3f   %-8d %.3f         %.3f" % (
        name, s["bp"], s["br"], s["bf"], s["pp"], s["pr"], s["pf"], s["k"], sk["bf"], sc["bf"]))
print("ingest: " + summary_plain)
if a.vmlinux_dir:
    print("ingest --vmlinux-dir: " + summary_sym)

l1 = loo(store_plain)
if l1:
    print("leave-one-out top-1 of similar: %.3f (%d of %d reports whose bug has another report)" % (l1[2], l1[1], l1[0]))
if a.vmlinux_dir:
    l2 = loo(store_sym)
    if l2:
        print("leave-one-out top-1 of similar, symbolized: %.3f (%d of %d)" % (l2[2], l2[1], l2[0]))

rev, _, _ = ingest("reverse", list(reversed(paths)), ["-j", "1"])
par, _, _ = ingest("two-workers", paths, ["-j", "2"])
print("order independence: reverse file order %.1f%%, 2 workers %.1f%% of reports in exactly the same cluster" % (
    100 * same_clusters(plain, rev), 100 * same_clusters(plain, par)))

print("variants (the same logs rewritten as other kernels print them; share of reports clustered exactly as")
print("in the plain run, and B-cubed P / R / F1 against the labels, overall, KASAN half, KCSAN half):")
for kind in TRANSFORMS:
    vpaths, vlabels = variant(kind)
    v, _, summary = ingest(kind, vpaths, ["-j", "1"], vlabels)
    s_all = score(v, labs=vlabels)
    print("  %-15s %5.1f%% of %3d same; B3 %.3f / %.3f / %.3f, KASAN %.3f, KCSAN %.3f (%s)" % (
        kind, 100 * same_clusters(plain, v), len(set(plain) & set(v)), s_all["bp"], s_all["br"], s_all["bf"],
        score(v, kasan_items, vlabels)["bf"], score(v, kcsan_items, vlabels)["bf"],
        re.sub(r"^ingested .*?: ", "", summary)))

# gcc and clang builds of one tree side by side: the plain logs with their other-build twins in one store
vpaths, vlabels = variant("other-build", "other-build-")
both = labels + vlabels
b, _, _ = ingest("two-builds", paths + vpaths, ["-j", "1"], both)
sb = score(b, labs=both)
n = len(labels)
joined = sum(1 for i in range(n) if i in b and n + i in b and b[i] == b[n + i])
print("two builds in one store (plain + other-build, %d reports): B3 %.3f / %.3f / %.3f, KASAN %.3f, KCSAN %.3f; "
      "%d of %d reports share a cluster with their twin from the other build" % (
          len(both), sb["bp"], sb["br"], sb["bf"], score(b, kasan_items + [n + i for i in kasan_items], both)["bf"],
          score(b, kcsan_items + [n + i for i in kcsan_items], both)["bf"], joined, n))

# the two boots of each kernel: each report's twin (same label, header and occurrence) in the other boot
twins = {}
seen = collections.Counter()
for i, l in enumerate(labels):
    kernel = l["log"].replace("-nokaslr", "").replace("-kaslr", "").replace(".log", "")
    boot = "kaslr" if "-kaslr" in l["log"] else "nokaslr"
    key = (kernel, l["label"], l["header"])
    seen[(key, boot)] += 1
    twins.setdefault((key, seen[(key, boot)]), {})[boot] = i
pairs = [(t["nokaslr"], t["kaslr"]) for t in twins.values() if len(t) == 2]
together = sum(1 for x, y in pairs if plain.get(x) == plain.get(y))
nok = {x: plain[x] for x, y in pairs if x in plain}
kas = {x: plain[y] for x, y in pairs if y in plain}
print("nokaslr vs kaslr boots: %d of %d twin reports in one cluster; the boots' partitions agree for %.1f%% of reports" % (
    together, len(pairs), 100 * same_clusters(nok, kas)))
