import dev.ktriage.depot.eval.ClusterCorpusGenerator;
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
 * pids, tasks, formats, callers, alloc/free paths), parsed by the product's parser (timed), and spread over {@code --bugs} synthetic
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
        case "--commit-every" -> commitEvery = Integer.parseInt(args[++i]);
        case "--query-only" -> { } // searches an existing store (made by an earlier run with the same --bugs)
        case "--opensearch" -> OPENSEARCH = args[++i]; // a cluster's URL(s) instead of --store (bench/opensearch)
        case "--prefix" -> PREFIX = args[++i]; // the cluster's index prefix (a fresh one per run)
        case "--part" -> { // k/m: this process ingests reports k, k+m, k+2m, ... (several ingesters into one cluster)
          String[] km = args[++i].split("/");
          PART = Integer.parseInt(km[0]);
          PARTS = Integer.parseInt(km[1]);
        }
        case "--no-query" -> QUERY = false;
        default -> throw new IllegalArgumentException(args[i]);
      }
    }
    boolean queryOnly = Arrays.asList(args).contains("--query-only");
    if (!queryOnly && OPENSEARCH == null) {
      deleteTree(store);
    }
    SplittableRandom rnd = new SplittableRandom(42);

    // Templates: generated real-format logs parsed by the product's parser. The parse is timed (thread
    // CPU, third pass, so after JIT warm-up): it is what `ktriage ingest` pays per report before the store.
    List<Report> templates = new ArrayList<>();
    Map<String, String> files = new ClusterCorpusGenerator(7, Math.min(2500, Math.max(80, n / 40))).generate();
    var threadMx = java.lang.management.ManagementFactory.getThreadMXBean();
    double parseCpuUs = 0;
    long logBytes = 0;
    for (int pass = 0; pass < 3; pass++) {
      templates.clear();
      dev.ktriage.grammar.parse.KernelLogParser parser = new dev.ktriage.grammar.parse.KernelLogParser();
      long c0 = threadMx.getCurrentThreadCpuTime();
      logBytes = 0;
      for (var e : files.entrySet()) {
        if (e.getKey().endsWith(".log")) {
          byte[] b = e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
          logBytes += b.length;
          parser.parse(new java.io.ByteArrayInputStream(b), e.getKey(), templates::add);
        }
      }
      parseCpuUs = (threadMx.getCurrentThreadCpuTime() - c0) / 1e3 / templates.size();
    }
    System.out.printf(Locale.ROOT, "parse (KernelLogParser, third pass): %d reports from %d generated logs (%.1f MB),"
        + " %.0f us CPU per report = %.0f reports per CPU-second%n", templates.size(), files.size() - 1, logBytes / 1e6,
        parseCpuUs, 1e6 / parseCpuUs);
    JSON_UTF8 = new dev.ktriage.reportjson.ReportJsonWriter(new dev.ktriage.grammar.title.GuiltyFiles()::guiltyFile)::toJsonUtf8;

    // a synthetic bug = one template title (one of the 41 catalog bugs, roughly) x one bucket suffix
    Map<String, List<Report>> byTitle = new java.util.TreeMap<>();
    for (Report t : templates) {
      byTitle.computeIfAbsent(t.title().title(), k -> new ArrayList<>()).add(t);
    }
    List<List<Report>> groups = new ArrayList<>(byTitle.values());
    // Reports are made on the fly from (seed, index) so that a million of them need no memory; each is
    // stored with the cli's own report JSON, made in the timed loop.
    PARSE_US = parseCpuUs;
    final int nBugs = bugs;
    java.util.function.IntFunction<Report> reportAt = i -> {
      SplittableRandom r = new SplittableRandom(1_000_003L * i + 17);
      int bug = r.nextInt(nBugs);
      List<Report> g = groups.get(bug % groups.size());
      return vary(g.get(r.nextInt(g.size())), bug, i);
    };
    // The average is taken with the same UTF-8 writer the ingest uses: a first use of ReportJson.toJson
    // (another generator class) polluted the type profiles C2 then compiled the ingest's JSON code with.
    double avgJson = java.util.stream.IntStream.range(0, 1000).mapToObj(reportAt).mapToInt(r -> jsonUtf8(r).length)
        .average().orElse(0);

    if (!queryOnly) {
      ingest(store, n, threads, commitEvery, reportAt, avgJson);
    }
    if (QUERY) {
      query(store, n, bugs, groups, templates, rnd);
    }
  }

  static String OPENSEARCH;
  static String PREFIX = "ktbench";
  static int PART;
  static int PARTS = 1;
  static boolean QUERY = true;

  /** The store: the embedded one in {@code dir}, or the cluster of {@code --opensearch} (replicas 1). */
  static ReportStore open(Path dir, ReportStore.Mode mode) throws Exception {
    if (OPENSEARCH == null) {
      return ReportStore.open(dir, mode, Duration.ZERO);
    }
    List<java.net.URI> urls = Arrays.stream(OPENSEARCH.split(",")).map(java.net.URI::create).toList();
    return dev.ktriage.store.opensearch.OpenSearchReportStore.open(new dev.ktriage.store.opensearch.OpenSearchStoreConfig(
        urls, java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), PREFIX), mode, 1);
  }

  /** The report JSON as UTF-8 bytes, as the store encodes it (for the average size only: the store encodes inside add). */
  static java.util.function.Function<Report, byte[]> JSON_UTF8;
  static double PARSE_US;
  static final java.util.concurrent.atomic.AtomicLong CPU_VARY = new java.util.concurrent.atomic.AtomicLong();
  static final java.util.concurrent.atomic.AtomicLong CPU_JSON = new java.util.concurrent.atomic.AtomicLong();
  static final java.util.concurrent.atomic.AtomicLong CPU_ADD = new java.util.concurrent.atomic.AtomicLong();
  static final java.util.concurrent.atomic.AtomicLong CPU_COMMIT = new java.util.concurrent.atomic.AtomicLong();

  static byte[] jsonUtf8(Report r) {
    return JSON_UTF8.apply(r);
  }

  private static void ingest(Path store, int n, int threads, int commitEvery, java.util.function.IntFunction<Report> reportAt,
      double avgJson) throws Exception {
    java.util.concurrent.atomic.AtomicLong added = new java.util.concurrent.atomic.AtomicLong();
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    Map<String, Long> threads0 = jvmThreadCpu();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    try (ReportStore s = open(store, ReportStore.Mode.READ_WRITE)) {
      final int total = n;
      java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        workers.add(Thread.ofPlatform().name("ingest-" + w).start(() -> {
          try {
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long vary = 0;
            long json = 0;
            long add = 0;
            long commit = 0;
            for (int i; (i = next.getAndIncrement()) < total; ) {
              if (i % PARTS != PART) {
                continue;
              }
              long c0 = mx.getCurrentThreadCpuTime();
              Report rep = reportAt.apply(i);
              long c1 = mx.getCurrentThreadCpuTime();
              // the store fingerprints and encodes the report itself: that cost is part of add
              long c2 = c1;
              if (s.add(rep, java.time.Instant.now())
                  instanceof dev.ktriage.depot.store.IngestResult.Added) {
                added.incrementAndGet();
              }
              long c3 = mx.getCurrentThreadCpuTime();
              if ((i + 1) % commitEvery == 0) {
                s.commit();
              }
              commit += mx.getCurrentThreadCpuTime() - c3;
              vary += c1 - c0;
              json += c2 - c1;
              add += c3 - c2;
            }
            CPU_VARY.addAndGet(vary);
            CPU_JSON.addAndGet(json);
            CPU_ADD.addAndGet(add);
            CPU_COMMIT.addAndGet(commit);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }));
      }
      for (Thread t : workers) {
        t.join();
      }
      n = (total - PART + PARTS - 1) / PARTS; // what this process ingested (of --part k/m)
      long c = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      s.commit();
      CPU_COMMIT.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - c);
      double sec = (System.nanoTime() - t0) / 1e9;
      double cpuSec = (os.getProcessCpuTime() - cpu0) / 1e9;
      double other = cpuSec - (CPU_VARY.get() + CPU_JSON.get() + CPU_ADD.get() + CPU_COMMIT.get()) / 1e9;
      Map<String, Long> threads1 = jvmThreadCpu();
      System.out.printf(Locale.ROOT, "  CPU per report: varying the template %.0f us (bench only), report JSON %.0f us,"
          + " store add %.0f us, commits %.0f us, other threads (merges, GC, JIT) %.0f us%n", CPU_VARY.get() / 1e3 / n,
          CPU_JSON.get() / 1e3 / n, CPU_ADD.get() / 1e3 / n, CPU_COMMIT.get() / 1e3 / n, other * 1e6 / n);
      double jit = (threads1.getOrDefault("JIT", 0L) - threads0.getOrDefault("JIT", 0L)) / 1e9;
      double gc = (threads1.getOrDefault("GC", 0L) - threads0.getOrDefault("GC", 0L)) / 1e9;
      System.out.printf(Locale.ROOT, "  of the other threads: JIT compilers %.0f us, GC %.0f us, the rest (Lucene merges, other"
          + " JVM threads) %.0f us per report%n", jit * 1e6 / n, gc * 1e6 / n, (other - jit - gc) * 1e6 / n);
      double product = (CPU_JSON.get() + CPU_ADD.get() + CPU_COMMIT.get()) / 1e9 + other;
      System.out.printf(Locale.ROOT, "  what ktriage ingest pays after parsing (JSON + add + commits + other threads): %.0f us"
          + " CPU per report = %.0f reports per CPU-second; with the parse: %.0f reports per CPU-second%n",
          product * 1e6 / n, n / product, 1e6 / (product * 1e6 / n + PARSE_US));
      StoreStats st = s.stats();
      System.out.printf(Locale.ROOT, "ingest (%d threads, commit every %d): %d reports (%d new) in %.1f s = %.0f reports/s;"
          + " process CPU %.1f s = %.0f reports per CPU-second; load average %.1f%n", threads, commitEvery, n,
          added.get(), sec, n / sec, cpuSec, n / cpuSec, os.getSystemLoadAverage());
      System.out.printf(Locale.ROOT, "store: %d reports, %d clusters, index %.1f MB + depot snapshot %.1f MB = %.0f bytes/report"
          + " (report JSON stand-in averages %.0f bytes)%n", st.reports(), st.clusters(), st.indexBytes() / 1e6,
          st.depotFileBytes() / 1e6, (double) (st.indexBytes() + st.depotFileBytes()) / st.reports(), avgJson);
      System.out.printf(Locale.ROOT, "depot: %s, dedup ratio %.1f%n", st.depot(), st.depot().dedupRatio());
    }
  }

  /**
   * CPU seconds (ns) of the JVM's compiler and GC threads so far, from /proc (Linux; empty elsewhere).
   * Merge threads come and go, so they are what is left of "other threads" after these two.
   */
  private static Map<String, Long> jvmThreadCpu() {
    Map<String, Long> out = new java.util.HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return out;
    }
    long tick = 10_000_000L; // USER_HZ = 100 on Linux
    try (var ds = Files.list(tasks)) {
      for (Path t : (Iterable<Path>) ds::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ns = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick; // utime, stime
          String kind = comm.contains("CompilerThre") ? "JIT"
              : comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM Thread") ? "GC" : "other";
          out.merge(kind, ns, Long::sum);
        } catch (java.io.IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (java.io.IOException e) {
      return out;
    }
    return out;
  }

  private static void query(Path store, int n, int bugs, List<List<Report>> groups, List<Report> templates,
      SplittableRandom rnd) throws Exception {
    long t0 = System.nanoTime();
    try (ReportStore w = open(store, ReportStore.Mode.READ_WRITE)) {
      System.out.printf(Locale.ROOT, "open for writing (depot snapshot + cluster state loaded): %.2f s, recoveries %s%n",
          (System.nanoTime() - t0) / 1e9, w.recoveries());
    }
    t0 = System.nanoTime();
    try (ReportStore s = open(store, ReportStore.Mode.READ_ONLY)) {
      System.out.printf(Locale.ROOT, "open (read-only): %.2f s; %d reports%n", (System.nanoTime() - t0) / 1e9,
          s.search("", 1, false).total());
      t0 = System.nanoTime();
      s.similar(vary(templates.get(0), 0, -1), 1);
      System.out.printf(Locale.ROOT, "first similar (loads the depot snapshot and the cluster state): %.2f s, recoveries %s%n",
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

  /**
   * The templates' function names without clone suffixes, or null for those the normalization rules
   * drop: worked out once per name (the regular expressions allocated a Matcher per frame per report,
   * about 10 KB of the harness's garbage per report).
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, java.util.Optional<String>> RENAMEABLE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static String renameable(String function) {
    return RENAMEABLE.computeIfAbsent(function, fn -> {
      String name = NormalizationRules.stripSuffixes(fn);
      return NormalizationRules.match(name).isEmpty() ? java.util.Optional.of(name) : java.util.Optional.empty();
    }).orElse(null);
  }

  /** Another occurrence of a template in synthetic bug {@code bucket}: renamed guilty path, new time. */
  static Report vary(Report t, int bucket, int i) {
    List<Stack> stacks = new ArrayList<>();
    for (Stack s : t.stacks()) {
      if (s.role() == StackRole.ACCESS || s.role() == StackRole.RACE_1 || s.role() == StackRole.RACE_2) {
        List<Frame> fs = new ArrayList<>();
        int renamed = 0;
        for (Frame f : s.frames()) {
          String name = renameable(f.function());
          if (renamed < 3 && f.reliable() && f.inlined().isEmpty() && name != null) {
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
    // the header's fault site is renamed with the stack: it is the evidence clustering looks at first
    dev.ktriage.model.ReportDetails details = t.details();
    if (details instanceof dev.ktriage.model.KasanDetails d && d.faultLocation().isPresent()) {
      String loc = d.faultLocation().get();
      int plus = loc.indexOf('+');
      String name = plus > 0 ? renameable(loc.substring(0, plus)) : null;
      if (name != null) {
        details = new dev.ktriage.model.KasanDetails(d.mode(), d.headerForm(), java.util.Optional.of(name + "_" + bucket
            + loc.substring(plus)), d.object(), d.variable(), d.stackOwner(), d.page(), d.shadow());
      }
    }
    return new Report(t.tool(), t.bugType(), t.header(), t.title(), t.access(), t.context(),
        new dev.ktriage.model.LogTime(java.util.OptionalDouble.of(i * 0.001), java.util.Optional.empty()), stacks,
        details, t.corruption(), t.complete(), new dev.ktriage.model.SourceSpan("bench/" + (i / 50) + ".log",
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
