package dev.ktriage.cli;

import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.store.IngestResult;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.model.Report;
import dev.ktriage.grammar.parse.KernelLogParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ktriage ingest}: parse logs and add their reports to the store, clustered. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Parse logs and add every KASAN and KCSAN report to the report store, clustered into bugs.",
      "With --vmlinux, reports are symbolized on the way in (as parse --vmlinux does): the store keeps "
          + "their file, line and inlined callees, and clusters on them. A report counts as the same "
          + "whether it was ingested with or without --vmlinux.",
      "PATH may be a log file (gzip, xz or zstd compressed or not), '-' for stdin, or a directory, read "
          + "recursively (hidden and .json/.jsonl files skipped); in a syzkaller crash directory (one with a 'description' file) the report* files "
          + "are read, or the log* files when there are none. Re-ingesting a report adds nothing."
    })
final class IngestCommand implements java.util.concurrent.Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions storeOptions;

  @Mixin
  VmlinuxOptions vmlinux;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Log files, directories, or '-' for stdin.")
  List<String> paths = new ArrayList<>();

  @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Files parsed in parallel (default: the number of CPUs).")
  int jobs = Runtime.getRuntime().availableProcessors();

  @Option(names = "--format", paramLabel = "FMT", description = "Summary as text (default) or json.")
  OutputFormat format = OutputFormat.text;

  @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Show a progress line on stderr when it is a terminal (default; --no-progress turns it off).")
  boolean progress;

  /** Reports between commits: what a kill can lose at most. */
  static final int COMMIT_EVERY = 5_000;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> files = discover();
    if (vmlinux.given()) {
      // opened first: a wrong --vmlinux fails before the store is locked
      try (SymbolizerSession session = SymbolizerSession.open(vmlinux.image(), vmlinux, err)) {
        FrameSymbolizer frames = new FrameSymbolizer(session);
        // the session is single-threaded and files are parsed in parallel: one report at a time
        symbolize = r -> {
          synchronized (frames) {
            return frames.symbolize(r);
          }
        };
        int code = storeOptions.withStore(ReportStore.Mode.READ_WRITE, err, store -> ingest(store, files, out, err));
        synchronized (frames) {
          session.finish(err);
        }
        return code;
      }
    }
    return storeOptions.withStore(ReportStore.Mode.READ_WRITE, err, store -> ingest(store, files, out, err));
  }

  /** What is done to a parsed report before it is stored: symbolization with --vmlinux, else nothing. */
  private java.util.function.UnaryOperator<Report> symbolize = r -> r;

  private final AtomicLong reports = new AtomicLong();
  private final AtomicLong added = new AtomicLong();
  private final AtomicLong sinceCommit = new AtomicLong();
  private final AtomicInteger filesDone = new AtomicInteger();
  private final AtomicLong bytesDone = new AtomicLong();
  private final Set<Long> newClusters = ConcurrentHashMap.newKeySet();
  private final Set<Long> hitClusters = ConcurrentHashMap.newKeySet();

  private int ingest(ReportStore store, List<String> files, PrintWriter out, PrintWriter err) throws Exception {
    long totalBytes = 0;
    for (String f : files) {
      totalBytes += f.equals(LogSource.STDIN) ? 0 : Files.size(Path.of(f));
    }
    Progress bar = progress && onTerminal() ? new Progress(err, files.size(), totalBytes) : null;
    ReportJson json = new ReportJson();
    List<String> failed = new ArrayList<>();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs),
        Thread.ofPlatform().name("ingest-", 0).daemon(true).factory());
    try {
      List<Future<FileOutcome>> results = new ArrayList<>();
      for (String f : files) {
        results.add(pool.submit(() -> ingestFile(store, json, f)));
      }
      for (Future<FileOutcome> r : results) {
        while (true) {
          try {
            FileOutcome outcome = r.get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (outcome.problem() != null || outcome.note() != null) {
              if (bar != null) {
                bar.clear();
              }
              if (outcome.problem() != null) {
                failed.add(outcome.problem());
                err.println("ktriage: " + outcome.problem());
              } else {
                err.println("ktriage: note: " + outcome.note());
              }
            }
            break;
          } catch (java.util.concurrent.TimeoutException e) {
            if (bar != null) {
              bar.show(filesDone.get(), bytesDone.get(), reports.get(), start);
            }
          } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception ex) {
              throw ex;
            }
            throw e;
          }
        }
      }
    } finally {
      pool.shutdownNow();
      if (bar != null) {
        bar.clear();
      }
    }
    store.commit();
    double sec = (System.nanoTime() - start) / 1e9;
    long dup = reports.get() - added.get();
    Set<Long> known = new java.util.HashSet<>(hitClusters);
    known.removeAll(newClusters);
    if (format == OutputFormat.text) {
      out.printf(Locale.ROOT, "ingested %d reports from %d files in %.1f s: %d new, %d already stored; %d new clusters, "
          + "%d known clusters hit%n", reports.get(), files.size(), sec, added.get(), dup, newClusters.size(), known.size());
    } else {
      out.printf(Locale.ROOT, "{\"files\":%d,\"reports\":%d,\"new\":%d,\"alreadyStored\":%d,\"newClusters\":%d,"
          + "\"knownClustersHit\":%d,\"failedFiles\":%d,\"seconds\":%.3f}%n", files.size(), reports.get(), added.get(),
          dup, newClusters.size(), known.size(), failed.size(), sec);
    }
    out.flush();
    return failed.isEmpty() ? ExitCodes.OK : ExitCodes.USAGE_OR_INPUT;
  }

  /**
   * Whether we run on a terminal. Java 21's {@code System.console()} is null when not; from Java 22
   * it exists anyway and {@code isTerminal()} (not in 21's API, hence the reflection) tells.
   */
  private static boolean onTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /**
   * What became of one file: a problem that fails the run (it could not be read), or a note that
   * does not (it holds binary data, as `parse` says too), or neither.
   */
  private record FileOutcome(String problem, String note) {
    static final FileOutcome FINE = new FileOutcome(null, null);
  }

  /** Parses one log into the store. */
  private FileOutcome ingestFile(ReportStore store, ReportJson json, String name) throws IOException {
    KernelLogParser parser = new KernelLogParser();
    LogSource source = new LogSource(name);
    IOException[] failure = new IOException[1];
    int[] found = new int[1];
    BinarySniffer sniffer;
    try (InputStream in = source.open(System.in)) {
      sniffer = new BinarySniffer(in);
      parser.parse(sniffer, name, r -> {
        found[0]++;
        add(store, json, r, failure);
      });
    } catch (InputException e) {
      return new FileOutcome(e.getMessage(), null);
    } catch (IOException e) {
      return new FileOutcome(name + ": read error: " + e.getMessage(), null);
    } finally {
      filesDone.incrementAndGet();
      if (!source.isStdin()) {
        bytesDone.addAndGet(Files.size(Path.of(name)));
      }
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    if (sniffer.looksBinary() && found[0] == 0) {
      return new FileOutcome(null, name + ": binary data, not a text log; no reports in it");
    }
    return FileOutcome.FINE;
  }

  private void add(ReportStore store, ReportJson json, Report r, IOException[] failure) {
    if (failure[0] != null) {
      return;
    }
    try {
      // the fingerprint is the log's as printed, so symbolizing does not make a stored report new
      String id = dev.ktriage.depot.signature.ReportFingerprint.of(r);
      Report stored = symbolize.apply(r);
      IngestResult res = store.add(stored, json.toJsonUtf8(stored), java.time.Instant.now(), id);
      reports.incrementAndGet();
      if (res instanceof IngestResult.Added a) {
        added.incrementAndGet();
        if (a.assignment() instanceof Assignment.NewCluster) {
          newClusters.add(a.assignment().clusterId());
        } else {
          hitClusters.add(a.assignment().clusterId());
        }
        if (sinceCommit.incrementAndGet() >= COMMIT_EVERY) {
          sinceCommit.set(0);
          store.commit();
        }
      }
    } catch (IOException e) {
      failure[0] = e;
    }
  }

  /** The files named by the arguments, in order; directories expanded (sorted, recursively). */
  private List<String> discover() throws InputException, IOException {
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      if (p.equals(LogSource.STDIN)) {
        out.add(p);
        continue;
      }
      Path path = Path.of(p);
      if (!Files.exists(path)) {
        throw new InputException(p + ": no such file or directory");
      }
      if (!Files.isDirectory(path)) {
        if (!Files.isReadable(path)) {
          throw new InputException(p + ": permission denied");
        }
        out.add(p);
        continue;
      }
      try (Stream<Path> walk = Files.walk(path)) {
        for (Path d : walk.filter(Files::isDirectory).sorted().toList()) {
          out.addAll(logsIn(d));
        }
      }
    }
    if (out.isEmpty()) {
      throw new InputException("no log files in " + String.join(" ", paths));
    }
    return out;
  }

  /**
   * The logs directly in one directory: a syzkaller crash dir's reports (or logs), else every visible
   * file but JSON ones.
   */
  static List<String> logsIn(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).filter(f -> isLogName(f.getFileName().toString())).sorted().toList();
    }
    boolean syzkaller = files.stream().anyMatch(f -> f.getFileName().toString().equals("description"));
    if (syzkaller) {
      // syz-manager keeps crashes/<hash>/{description,logN,reportN,...}; reportN is logN's report, extracted
      // and symbolized, so reading both would store every crash twice
      List<Path> rep = files.stream().filter(f -> f.getFileName().toString().matches("report\\d*")).toList();
      files = rep.isEmpty() ? files.stream().filter(f -> f.getFileName().toString().matches("log\\d*")).toList() : rep;
    }
    return files.stream().map(Path::toString).toList();
  }

  // Hidden files are not logs; nor is JSON: ktriage's own `--format json` output (and saved reports)
  // quote whole reports in strings, so parsing it would store each report again, titled with JSON junk.
  // A file named on the command line is read whatever its name.
  private static boolean isLogName(String name) {
    return !name.startsWith(".") && !name.endsWith(".json") && !name.endsWith(".jsonl");
  }

  /** The progress line on a terminal: files, reports, reports/s and ETA, redrawn in place. */
  private static final class Progress {
    private final PrintWriter err;
    private final int files;
    private final long bytes;
    private int width;

    Progress(PrintWriter err, int files, long bytes) {
      this.err = err;
      this.files = files;
      this.bytes = bytes;
    }

    void show(int done, long bytesDone, long reports, long start) {
      double sec = (System.nanoTime() - start) / 1e9;
      double rate = sec > 0 ? reports / sec : 0;
      String eta = "";
      if (bytes > 0 && bytesDone > 0) {
        long left = (long) (sec * (bytes - bytesDone) / bytesDone);
        eta = String.format(Locale.ROOT, ", ETA %d:%02d", left / 60, left % 60);
      }
      String line = String.format(Locale.ROOT, "files %d/%d, %d reports, %.0f reports/s%s", done, files, reports, rate, eta);
      err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
      err.flush();
      width = line.length();
    }

    void clear() {
      if (width > 0) {
        err.print("\r" + " ".repeat(width) + "\r");
        err.flush();
        width = 0;
      }
    }
  }
}
