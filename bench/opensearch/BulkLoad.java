import dev.ktriage.depot.eval.ClusterCorpusGenerator;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.model.Report;
import dev.ktriage.store.opensearch.BenchLoader;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Loads bench/depot's generated reports (the same reports DepotBench makes for the same --reports and
 * --bugs) into an OpenSearch store through {@code BenchLoader}: the store's own documents, clusters by exact
 * key only, no per-report clustering or lookups. Prints the wall time, this process's CPU and the nodes' CPU
 * per report. Not a test: run by bench/opensearch/floor.sh (compiled with bench/depot/DepotBench.java).
 *
 * <p>Usage: BulkLoad --urls U[,U...] --prefix P [--reports N] [--from I --to J] [--bugs 5000] [--per 1000]
 * [--replicas 1] [--threads 2] [--reports-only] [--settings '"refresh_interval":"-1"']
 */
public final class BulkLoad {
  public static void main(String[] args) throws Exception {
    String urls = null;
    String prefix = null;
    String settings = "";
    int n = 100_000;
    int from = 0;
    int to = -1;
    int bugs = 5_000;
    int per = 1_000;
    int replicas = 1;
    int threads = 2;
    boolean reportsOnly = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--urls" -> urls = args[++i];
        case "--prefix" -> prefix = args[++i];
        case "--settings" -> settings = args[++i];
        case "--reports" -> n = Integer.parseInt(args[++i]);
        case "--from" -> from = Integer.parseInt(args[++i]);
        case "--to" -> to = Integer.parseInt(args[++i]);
        case "--bugs" -> bugs = Integer.parseInt(args[++i]);
        case "--per" -> per = Integer.parseInt(args[++i]);
        case "--replicas" -> replicas = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--reports-only" -> reportsOnly = true;
        default -> throw new IllegalArgumentException(args[i]);
      }
    }
    if (to < 0) {
      to = n;
    }
    // DepotBench's reports: its templates (one parse is enough: the passes give the same list), its variation
    List<Report> templates = new ArrayList<>();
    Map<String, String> files = new ClusterCorpusGenerator(7, Math.min(2500, Math.max(80, n / 40))).generate();
    KernelLogParser parser = new KernelLogParser();
    for (var e : files.entrySet()) {
      if (e.getKey().endsWith(".log")) {
        parser.parse(new ByteArrayInputStream(e.getValue().getBytes(StandardCharsets.UTF_8)), e.getKey(), templates::add);
      }
    }
    Map<String, List<Report>> byTitle = new TreeMap<>();
    for (Report t : templates) {
      byTitle.computeIfAbsent(t.title().title(), k -> new ArrayList<>()).add(t);
    }
    List<List<Report>> groups = new ArrayList<>(byTitle.values());
    final int nBugs = bugs;
    IntFunction<Report> reportAt = i -> {
      SplittableRandom r = new SplittableRandom(1_000_003L * i + 17);
      int bug = r.nextInt(nBugs);
      List<Report> g = groups.get(bug % groups.size());
      return DepotBench.vary(g.get(r.nextInt(g.size())), bug, i);
    };

    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<URI> hosts = Arrays.stream(urls.split(",")).map(URI::create).toList();
    try (BenchLoader loader = BenchLoader.open(hosts, prefix, replicas, reportsOnly, per, settings)) {
      double load0 = os.getSystemLoadAverage();
      long nodes0 = loader.nodesCpuMillis();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      AtomicInteger next = new AtomicInteger(from);
      final int end = to;
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        workers.add(Thread.ofPlatform().name("load-" + w).start(() -> {
          try {
            for (int i; (i = next.getAndIncrement()) < end; ) {
              loader.add(reportAt.apply(i), Instant.now());
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }));
      }
      for (Thread t : workers) {
        t.join();
      }
      loader.flush();
      double sec = (System.nanoTime() - t0) / 1e9;
      long cpu1 = os.getProcessCpuTime();
      long nodes1 = loader.nodesCpuMillis();
      double load1 = os.getSystemLoadAverage();
      boolean settled = loader.settle(180);
      double settledSec = (System.nanoTime() - t0) / 1e9;
      long nodes2 = loader.nodesCpuMillis();
      long count = to - from;
      System.out.printf(Locale.ROOT, "%s %s, %d per request, replicas %d, settings {%s}: %d reports (%d already there)"
          + " in %d requests, %.0f bytes a report document%n", reportsOnly ? "reports only" : "whole store", prefix, per,
          replicas, settings, loader.created(), loader.conflicts(), loader.requests(),
          (double) loader.documentBytes() / loader.created());
      System.out.printf(Locale.ROOT, "  wall %.1f s = %.0f reports/s; load average %.1f -> %.1f%n", sec, count / sec,
          load0, load1);
      System.out.printf(Locale.ROOT, "  this process (generating, signing, encoding, sending) %.3f ms CPU a report%n",
          (cpu1 - cpu0) / 1e6 / count);
      System.out.printf(Locale.ROOT, "  the nodes %.3f ms CPU a report until the last answer; %.3f ms with the merges"
          + " after it (%s, %.0f s)%n", (double) (nodes1 - nodes0) / count, (double) (nodes2 - nodes0) / count,
          settled ? "settled" : "still merging", settledSec - sec);
      System.out.printf(Locale.ROOT, "  primaries %.0f bytes a report%n", (double) loader.primaryBytes() / loader.created());
    }
  }
}
