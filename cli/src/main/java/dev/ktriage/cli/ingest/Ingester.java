package dev.ktriage.cli.ingest;

import dev.ktriage.cli.input.BinarySniffer;
import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.input.LogErrors;
import dev.ktriage.cli.input.LogSource;
import dev.ktriage.cli.input.LogStream;
import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.store.IngestResult;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.grammar.parse.ParseStats;
import dev.ktriage.model.Report;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Parses logs on a pool of worker threads and adds their reports to a store (which commits by itself
 * every {@link ReportStore#COMMIT_EVERY} new reports), then commits. A file that cannot be read is
 * said and counted, and the others are still ingested; {@link #cancel} (Ctrl-C) stops at the next
 * report, and what was parsed up to there is committed.
 *
 * <p>One instance ingests once. {@link #cancel} may be called from any thread.
 */
public final class Ingester {

  /** How long a cancelled ingest waits for a worker stuck in a read (of a terminal, say) before committing. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  /**
   * What an ingest did.
   *
   * @param files the files it was given
   * @param filesRead the files read to their end (or to damaged compressed data)
   * @param reports reports found in them
   * @param added reports the store did not have yet
   * @param newClusters clusters those reports opened
   * @param knownClustersHit clusters that existed before and got a new report
   * @param failedFiles files that could not be read
   * @param seconds wall time
   * @param interrupted whether {@link #cancel} stopped it
   * @param noCrashFiles files read that held no crash
   * @param unparsedFiles files read that held something that looked like a crash but gave no report
   * @param unparsed those blocks (up to 100 a file), by file and line
   */
  public record Summary(int files, int filesRead, long reports, long added, int newClusters, int knownClustersHit,
      int failedFiles, double seconds, boolean interrupted, int noCrashFiles, int unparsedFiles,
      List<ParseStats.Unparsed> unparsed) {
    /** Reports the store had already. */
    public long alreadyStored() {
      return reports - added;
    }
  }

  /** Where the ingest says what happened to single files; the caller prints. */
  public interface Listener {
    /** A file could not be read (it counts as failed). */
    void problem(String line);

    /** Something worth knowing about a file that does not fail it (binary data, damaged compression). */
    void note(String line);

    /** Called about every 200 ms while files are parsed. */
    default void progress(int filesDone, long rawBytesRead, long reports) {}
  }

  private final ReportStore store;
  private final PerLog perLog;
  private final InputStream stdin;
  private final Listener listener;

  private final AtomicLong reports = new AtomicLong();
  private final AtomicLong added = new AtomicLong();
  private final AtomicInteger filesDone = new AtomicInteger();
  private final AtomicLong rawBytes = new AtomicLong();
  private final Set<Long> newClusters = ConcurrentHashMap.newKeySet();
  private final Set<Long> hitClusters = ConcurrentHashMap.newKeySet();
  private final AtomicInteger noCrashFiles = new AtomicInteger();
  private final AtomicInteger unparsedFiles = new AtomicInteger();
  private final ConcurrentLinkedQueue<ParseStats.Unparsed> unparsed = new ConcurrentLinkedQueue<>();
  private volatile boolean cancelled;

  /**
   * @param symbolize what is done to a parsed report before it is stored (symbolization with
   *     {@code --vmlinux}); called from several threads
   * @param stdin what {@code -} reads
   */
  public Ingester(ReportStore store, UnaryOperator<Report> symbolize, InputStream stdin, Listener listener) {
    this(store, (PerLog) name -> symbolize, stdin, listener);
  }

  /** What is done to each parsed report of one log before it is stored (symbolization). */
  @FunctionalInterface
  public interface PerLog {
    /** The operation for the reports of log {@code name}; called on a worker thread before the log is read. */
    UnaryOperator<Report> forLog(String name) throws IOException, InputException;
  }

  /**
   * @param perLog what is done to the reports of each log before they are stored ({@code --vmlinux-dir}
   *     symbolizes each log with its own kernel); called from several threads
   * @param stdin what {@code -} reads
   */
  public Ingester(ReportStore store, PerLog perLog, InputStream stdin, Listener listener) {
    this.store = store;
    this.perLog = perLog;
    this.stdin = stdin;
    this.listener = listener;
  }

  /** Stops the ingest at the next report of each file; {@link #ingest} then commits and returns. */
  public void cancel() {
    cancelled = true;
  }

  /** Thrown inside a parse to stop it when the ingest was cancelled. */
  private static final class Stop extends RuntimeException {
    Stop() {
      super("ingest cancelled", null, false, false);
    }
  }

  /** Carries a store failure out of the parser's callback. */
  private static final class StoreFailed extends RuntimeException {
    final IOException io;

    StoreFailed(IOException io) {
      super(io.getMessage(), io, false, false);
      this.io = io;
    }
  }

  /** The total size of the named files, for an ETA (stdin counts 0). */
  public static long totalBytes(List<String> files) {
    long total = 0;
    for (String f : files) {
      try {
        total += f.equals(LogSource.STDIN) ? 0 : Files.size(Path.of(f));
      } catch (IOException e) {
        // unreadable: said when it is ingested
      }
    }
    return total;
  }

  /** Ingests {@code files} with {@code jobs} threads and commits what was added. */
  public Summary ingest(List<String> files, int jobs) throws IOException {
    long start = System.nanoTime();
    List<String> failed = new ArrayList<>();
    int read = 0;
    // Workers are never interrupted: an interrupt closes the FileChannel a Lucene write is using.
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs),
        Thread.ofPlatform().name("ingest-", 0).daemon(true).factory());
    try {
      List<Future<FileOutcome>> results = new ArrayList<>();
      for (String f : files) {
        results.add(pool.submit(() -> ingestFile(f)));
      }
      long stoppedAt = 0;
      for (Future<FileOutcome> r : results) {
        FileOutcome outcome = null;
        while (outcome == null) {
          try {
            outcome = r.get(200, TimeUnit.MILLISECONDS);
          } catch (TimeoutException e) {
            listener.progress(filesDone.get(), rawBytes.get(), reports.get());
            if (cancelled) {
              stoppedAt = stoppedAt == 0 ? System.nanoTime() : stoppedAt;
              if (System.nanoTime() - stoppedAt > STOP_WAIT.toNanos()) {
                outcome = FileOutcome.CANCELLED; // stuck in a read; what it parsed is committed below
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelled = true;
          } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
              throw io; // the store failed: nothing more can be added
            }
            if (c instanceof UncheckedIOException u) {
              throw u.getCause();
            }
            if (c instanceof RuntimeException re) {
              throw re;
            }
            if (c instanceof Error err) {
              throw err;
            }
            throw new IllegalStateException(c);
          }
        }
        switch (outcome.kind()) {
          case READ -> read++;
          case NOTE -> {
            read++;
            listener.note(outcome.line());
          }
          case PROBLEM -> {
            failed.add(outcome.line());
            listener.problem(outcome.line());
          }
          case CANCELLED -> { }
        }
      }
    } finally {
      pool.shutdown();
    }
    store.commit();
    // another ingester into a shared store may have stored some of what add() answered Added for
    long stored = added.get() - store.addedByAnotherWriter();
    double sec = (System.nanoTime() - start) / 1e9;
    Set<Long> known = new HashSet<>(hitClusters);
    known.removeAll(newClusters);
    List<ParseStats.Unparsed> blocks = new ArrayList<>(unparsed);
    blocks.sort(Comparator.comparing(ParseStats.Unparsed::path).thenComparingLong(ParseStats.Unparsed::line));
    return new Summary(files.size(), read, reports.get(), stored, newClusters.size(), known.size(), failed.size(),
        sec, cancelled, noCrashFiles.get(), unparsedFiles.get(), List.copyOf(blocks));
  }

  /** What became of one file. */
  private record FileOutcome(Kind kind, String line) {
    enum Kind { READ, NOTE, PROBLEM, CANCELLED }

    static final FileOutcome READ = new FileOutcome(Kind.READ, null);
    static final FileOutcome CANCELLED = new FileOutcome(Kind.CANCELLED, null);
  }

  /** Parses one log into the store. */
  private FileOutcome ingestFile(String name) throws IOException {
    if (cancelled) {
      return FileOutcome.CANCELLED;
    }
    KernelLogParser parser = new KernelLogParser();
    LogSource source = new LogSource(name);
    UnaryOperator<Report> symbolize;
    try {
      symbolize = perLog.forLog(name);
    } catch (InputException e) {
      filesDone.incrementAndGet();
      return new FileOutcome(FileOutcome.Kind.PROBLEM, e.getMessage());
    } catch (IOException e) {
      filesDone.incrementAndGet();
      return new FileOutcome(FileOutcome.Kind.PROBLEM, name + ": " + LogErrors.describe(e));
    }
    AtomicInteger found = new AtomicInteger();
    BinarySniffer sniffer;
    String damage;
    ParseStats stats;
    try (LogStream in = source.open(stdin, rawBytes)) {
      sniffer = new BinarySniffer(in);
      stats = parser.parse(sniffer, name, r -> {
        if (cancelled) {
          throw new Stop();
        }
        found.incrementAndGet();
        add(r, symbolize);
      });
      damage = in.damage().orElse(null);
    } catch (InputException e) {
      return new FileOutcome(FileOutcome.Kind.PROBLEM, e.getMessage());
    } catch (StoreFailed e) {
      throw e.io;
    } catch (IOException e) {
      return new FileOutcome(FileOutcome.Kind.PROBLEM, name + ": " + LogErrors.describe(e));
    } catch (RuntimeException e) {
      if (cancelled) {
        return FileOutcome.CANCELLED; // a Stop, perhaps wrapped by the parser's threads
      }
      throw e;
    } finally {
      filesDone.incrementAndGet();
    }
    if (cancelled) {
      return FileOutcome.CANCELLED;
    }
    if (stats.unparsed() > 0) {
      unparsedFiles.incrementAndGet();
      unparsed.addAll(stats.unparsedBlocks());
    } else if (found.get() == 0) {
      noCrashFiles.incrementAndGet();
    }
    if (damage != null) {
      return new FileOutcome(FileOutcome.Kind.NOTE, name + ": " + damage + "; the reports before that were read");
    }
    if (sniffer.looksBinary() && found.get() == 0) {
      return new FileOutcome(FileOutcome.Kind.NOTE, name + ": binary data, not a text log; no reports in it");
    }
    return FileOutcome.READ;
  }

  private void add(Report r, UnaryOperator<Report> symbolize) {
    try {
      // the store fingerprints what the log printed: symbolizing does not make a stored report new
      IngestResult res = store.add(symbolize.apply(r), Instant.now());
      reports.incrementAndGet();
      if (res instanceof IngestResult.Added a) {
        added.incrementAndGet();
        if (a.assignment() instanceof Assignment.NewCluster) {
          newClusters.add(a.assignment().clusterId());
        } else {
          hitClusters.add(a.assignment().clusterId());
        }
      }
    } catch (IOException e) {
      throw new StoreFailed(e);
    }
  }
}
