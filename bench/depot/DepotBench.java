import dev.ktriage.depot.eval.ClusterCorpusGenerator;
import dev.ktriage.depot.eval.MiniLogReader;
import dev.ktriage.depot.stack.NormalizationRules;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.depot.store.StoreStats;
import dev.ktriage.model.Frame;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Ingest, search and similar benchmark of the depot's report store. Not a test: run bench/depot/run.sh.
 *
 * <p>Reports: real-format logs from the labeled corpus generator (41 bug templates, varied addresses,
 * pids, tasks, formats, callers, alloc/free paths), parsed, and spread over {@code --bugs} synthetic
 * bugs by renaming the first three meaningful frames of each identifying stack with a bucket suffix,
 * so the store holds thousands of clusters as a long-running campaign would.
 */
public final class DepotBench {
  public static void main(String[] args) throws Exception {
    int n = 100_000;
    int bugs = 5_000;
    Path store = Path.of("/tmp/ktriage-bench-store");
    int commitEvery = 5_000;
    int threads = 2;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--reports" -> n = Integer.parseInt(args[++i]);
        case "--bugs" -> bugs = Integer.parseInt(args[++i]);
        case "--store" -> store = Path.of(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--query-only" -> { } // searches an existing store (made by an earlier run with the same --bugs)
        default -> throw new IllegalArgumentException(args[i]);
      }
    }
    boolean queryOnly = Arrays.asList(args).contains("--query-only");
    if (!queryOnly) {
      deleteTree(store);
    }
    SplittableRandom rnd = new SplittableRandom(42);

    long t0 = System.nanoTime();
    List<Report> templates = new ArrayList<>();
    MiniLogReader reader = new MiniLogReader();
    Map<String, String> files = new ClusterCorpusGenerator(7, Math.max(80, n / 40)).generate();
    for (var e : files.entrySet()) {
      if (e.getKey().endsWith(".log")) {
        templates.addAll(reader.read(e.getValue(), e.getKey()));
      }
    }
    double parseSec = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "parsed %d template reports from %d generated logs in %.1f s (%.0f reports/s)%n",
        templates.size(), files.size() - 1, parseSec, templates.size() / parseSec);

    // a synthetic bug = one template title (one of the 41 catalog bugs, roughly) x one bucket suffix
    Map<String, List<Report>> byTitle = new java.util.TreeMap<>();
    for (Report t : templates) {
      byTitle.computeIfAbsent(t.title().title(), k -> new ArrayList<>()).add(t);
    }
    List<List<Report>> groups = new ArrayList<>(byTitle.values());
    // Reports are made on the fly from (seed, index) so that a million of them need no memory; the
    // JSON stand-in is the record's toString(), about as long as the cli's report JSON.
    final int nBugs = bugs;
    java.util.function.IntFunction<Report> reportAt = i -> {
      SplittableRandom r = new SplittableRandom(1_000_003L * i + 17);
      int bug = r.nextInt(nBugs);
      List<Report> g = groups.get(bug % groups.size());
      return vary(g.get(r.nextInt(g.size())), bug, i);
    };
    double avgJson = java.util.stream.IntStream.range(0, 1000).mapToObj(reportAt).mapToInt(r -> r.toString().length())
        .average().orElse(0);

    if (!queryOnly) {
      ingest(store, n, threads, commitEvery, reportAt, avgJson);
    }
    query(store, n, bugs, groups, templates, rnd);
  }

  private static void ingest(Path store, int n, int threads, int commitEvery, java.util.function.IntFunction<Report> reportAt,
      double avgJson) throws Exception {
    java.util.concurrent.atomic.AtomicLong added = new java.util.concurrent.atomic.AtomicLong();
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    try (ReportStore s = ReportStore.open(store, ReportStore.Mode.READ_WRITE, Duration.ZERO)) {
      final int total = n;
      java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        workers.add(Thread.ofPlatform().name("ingest-" + w).start(() -> {
          try {
            for (int i; (i = next.getAndIncrement()) < total; ) {
              Report rep = reportAt.apply(i);
              if (s.add(rep, rep.toString()) instanceof dev.ktriage.depot.store.IngestResult.Added) {
                added.incrementAndGet();
              }
              if ((i + 1) % commitEvery == 0) {
                s.commit();
              }
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }));
      }
      for (Thread t : workers) {
        t.join();
      }
      s.commit();
      double sec = (System.nanoTime() - t0) / 1e9;
      double cpuSec = (os.getProcessCpuTime() - cpu0) / 1e9;
      StoreStats st = s.stats();
      System.out.printf(Locale.ROOT, "ingest (%d threads, commit every %d): %d reports (%d new) in %.1f s = %.0f reports/s;"
          + " process CPU %.1f s = %.0f reports per CPU-second; load average %.1f%n", threads, commitEvery, n,
          added.get(), sec, n / sec, cpuSec, n / cpuSec, os.getSystemLoadAverage());
      System.out.printf(Locale.ROOT, "store: %d reports, %d clusters, index %.1f MB + depot snapshot %.1f MB = %.0f bytes/report"
          + " (report JSON stand-in averages %.0f chars)%n", st.reports(), st.clusters(), st.indexBytes() / 1e6,
          st.depotFileBytes() / 1e6, (double) (st.indexBytes() + st.depotFileBytes()) / st.reports(), avgJson);
      System.out.printf(Locale.ROOT, "depot: %s, dedup ratio %.1f%n", st.depot(), st.depot().dedupRatio());
    }
  }

  private static void query(Path store, int n, int bugs, List<List<Report>> groups, List<Report> templates,
      SplittableRandom rnd) throws Exception {
    long t0 = System.nanoTime();
    try (ReportStore s = ReportStore.open(store, ReportStore.Mode.READ_ONLY, Duration.ZERO)) {
      System.out.printf(Locale.ROOT, "open (read-only): %.2f s; %d reports%n", (System.nanoTime() - t0) / 1e9,
          s.search("", 1, false).total());
      t0 = System.nanoTime();
      s.similar(vary(templates.get(0), 0, -1), 1);
      System.out.printf(Locale.ROOT, "first similar (loads the depot snapshot and rebuilds the clusters): %.2f s, recoveries %s%n",
          (System.nanoTime() - t0) / 1e9, s.recoveries());
      String[] fns = {"ext4_*", "tty_ldisc_deref", "*xattr*", "sk_psock_*", "nbd_read_reply", "i_size_read"};
      String[] types = {"slab-use-after-free", "slab-out-of-bounds", "use-after-free", "data-race"};
      long[] search = new long[1000];
      long[][] byKind = new long[6][200];
      int[] kinds = new int[6];
      for (int i = 0; i < 1000; i++) {
        String q = switch (i % 5) {
          case 0 -> "bugType:" + types[i % types.length] + " AND function:" + fns[i % fns.length];
          case 1 -> "title:\"data-race\"";
          case 2 -> "release:6.1*";
          case 3 -> "function:" + fns[i % fns.length] + "_" + rnd.nextInt(bugs);
          default -> "size:[4 TO 16] AND tool:kasan";
        };
        long t = System.nanoTime();
        s.search(q, 20, i % 10 == 0);
        search[i] = System.nanoTime() - t;
        int kind = i % 10 == 0 ? 5 : i % 5;
        byKind[kind][kinds[kind]++] = search[i];
      }
      report("search (20 hits; every 10th with facets)", search);
      String[] names = {"bugType AND function", "title phrase", "release prefix", "rare function", "size range AND tool",
          "facets (all five kinds)"};
      for (int k = 0; k < 6; k++) {
        report("  " + names[k], Arrays.copyOf(byKind[k], kinds[k]));
      }
      long[] similar = new long[1000];
      for (int i = 0; i < 1000; i++) {
        int bug = rnd.nextInt(bugs);
        List<Report> g = groups.get(bug % groups.size());
        Report probe = vary(g.get(rnd.nextInt(g.size())), bug, n + i);
        long t = System.nanoTime();
        s.similar(probe, 10);
        similar[i] = System.nanoTime() - t;
      }
      report("similar (k=10)", similar);
    }
  }

  private static void report(String what, long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    System.out.printf(Locale.ROOT, "%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", what, s[s.length / 2] / 1e6,
        s[(int) (s.length * 0.99)] / 1e6, s[s.length - 1] / 1e6);
  }

  /** Another occurrence of a template in synthetic bug {@code bucket}: renamed guilty path, new time. */
  static Report vary(Report t, int bucket, int i) {
    List<Stack> stacks = new ArrayList<>();
    for (Stack s : t.stacks()) {
      if (s.role() == StackRole.ACCESS || s.role() == StackRole.RACE_1 || s.role() == StackRole.RACE_2) {
        List<Frame> fs = new ArrayList<>();
        int renamed = 0;
        for (Frame f : s.frames()) {
          String name = NormalizationRules.stripSuffixes(f.function());
          if (renamed < 3 && f.reliable() && f.inlined().isEmpty() && NormalizationRules.match(name).isEmpty()) {
            renamed++;
            f = new Frame(name + "_" + bucket, f.offset(), f.size(), f.module(), f.moduleBuildId(), f.reliable(),
                f.address(), f.context(), f.location(), f.inlined(), f.logLine());
          }
          fs.add(f);
        }
        s = s.withFrames(fs);
      }
      stacks.add(s);
    }
    return new Report(t.tool(), t.bugType(), t.header(), t.title(), t.access(), t.context(),
        new dev.ktriage.model.LogTime(java.util.OptionalDouble.of(i * 0.001), java.util.Optional.empty()), stacks,
        t.details(), t.corruption(), t.complete(), new dev.ktriage.model.SourceSpan("bench/" + (i / 50) + ".log",
            1 + (i % 50) * 80L, 80 + (i % 50) * 80L));
  }

  private static void deleteTree(Path p) throws java.io.IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var w = Files.walk(p)) {
      for (Path x : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
