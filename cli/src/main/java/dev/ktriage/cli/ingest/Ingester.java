package dev.ktriage.cli.ingest;

import dev.ktriage.cli.input.BinarySniffer;
import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.input.LogSource;
import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.store.IngestResult;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.model.Report;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Parses logs on a pool of worker threads and adds their reports to a store, which commits every
 * {@link ReportStore#COMMIT_EVERY} new reports by itself; the ingest commits at the end. Problems
 * with single files are said on {@code err} and counted; the others are still ingested. One instance
 * ingests once.
 */
public final class Ingester {

  /**
   * What an ingest did.
   *
   * @param files the files read (or tried)
   * @param reports reports found in them
   * @param added reports the store did not have yet
   * @param newClusters clusters those reports opened
   * @param knownClustersHit clusters that existed before and got a new report
   * @param failedFiles files that could not be read
   * @param seconds wall time
   */
  public record Summary(int files, long reports, long added, int newClusters, int knownClustersHit, int failedFiles,
      double seconds) {
    /** Reports the store had already. */
    public long alreadyStored() {
      return reports - added;
    }
  }

  /** What is done to each parsed report of one log before it is stored (symbolization). */
  @FunctionalInterface
  public interface PerLog {
    /** The operation for the reports of log {@code name}; called on a worker thread before the log is read. */
    UnaryOperator<Report> forLog(String name) throws IOException, InputException;
  }

  private final ReportStore store;
  private final PerLog perLog;
  private final InputStream stdin;
  private final PrintWriter err;

  private final AtomicLong reports = new AtomicLong();
  private final AtomicLong added = new AtomicLong();
  private final AtomicInteger filesDone = new AtomicInteger();
  private final AtomicLong bytesDone = new AtomicLong();
  private final Set<Long> newClusters = ConcurrentHashMap.newKeySet();
  private final Set<Long> hitClusters = ConcurrentHashMap.newKeySet();

  /**
   * @param symbolize what is done to a parsed report before it is stored (symbolization with
   *     {@code --vmlinux}); called from several threads
   * @param stdin what {@code -} reads
   * @param err where problems with single files are said
   */
  public Ingester(ReportStore store, UnaryOperator<Report> symbolize, InputStream stdin, PrintWriter err) {
    this(store, (PerLog) name -> symbolize, stdin, err);
  }

  /**
   * @param perLog what is done to the reports of each log before they are stored ({@code --vmlinux-dir}
   *     symbolizes each log with its own kernel); called from several threads
   * @param stdin what {@code -} reads
   * @param err where problems with single files are said
   */
  public Ingester(ReportStore store, PerLog perLog, InputStream stdin, PrintWriter err) {
    this.store = store;
    this.perLog = perLog;
    this.stdin = stdin;
    this.err = err;
  }

  /**
   * Ingests {@code files} with {@code jobs} threads and commits.
   *
   * @param showProgress whether to draw the progress line on {@code err}
   */
  public Summary ingest(List<String> files, int jobs, boolean showProgress) throws Exception {
    long totalBytes = 0;
    for (String f : files) {
      totalBytes += f.equals(LogSource.STDIN) ? 0 : Files.size(Path.of(f));
    }
    Progress bar = showProgress ? new Progress(err, files.size(), totalBytes) : null;
    List<String> failed = new ArrayList<>();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs),
        Thread.ofPlatform().name("ingest-", 0).daemon(true).factory());
    try {
      List<Future<FileOutcome>> results = new ArrayList<>();
      for (String f : files) {
        results.add(pool.submit(() -> ingestFile(f)));
      }
      for (Future<FileOutcome> r : results) {
        while (true) {
          try {
            FileOutcome outcome = r.get(200, TimeUnit.MILLISECONDS);
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
          } catch (TimeoutException e) {
            if (bar != null) {
              bar.show(filesDone.get(), bytesDone.get(), reports.get(), start);
            }
          } catch (ExecutionException e) {
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
    Set<Long> known = new HashSet<>(hitClusters);
    known.removeAll(newClusters);
    return new Summary(files.size(), reports.get(), added.get(), newClusters.size(), known.size(), failed.size(), sec);
  }

  /**
   * What became of one file: a problem that fails the run (it could not be read), or a note that
   * does not (it holds binary data, as `parse` says too), or neither.
   */
  private record FileOutcome(String problem, String note) {
    static final FileOutcome FINE = new FileOutcome(null, null);
  }

  /** Parses one log into the store. */
  private FileOutcome ingestFile(String name) throws IOException {
    KernelLogParser parser = new KernelLogParser();
    LogSource source = new LogSource(name);
    UnaryOperator<Report> symbolize;
    try {
      symbolize = perLog.forLog(name);
    } catch (InputException e) {
      return new FileOutcome(e.getMessage(), null);
    } catch (IOException e) {
      return new FileOutcome(name + ": read error: " + e.getMessage(), null);
    }
    AtomicReference<IOException> failure = new AtomicReference<>();
    AtomicInteger found = new AtomicInteger();
    BinarySniffer sniffer;
    try (InputStream in = source.open(stdin)) {
      sniffer = new BinarySniffer(in);
      parser.parse(sniffer, name, r -> {
        found.incrementAndGet();
        add(r, symbolize, failure);
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
    if (failure.get() != null) {
      throw failure.get();
    }
    if (sniffer.looksBinary() && found.get() == 0) {
      return new FileOutcome(null, name + ": binary data, not a text log; no reports in it");
    }
    return FileOutcome.FINE;
  }

  private void add(Report r, UnaryOperator<Report> symbolize, AtomicReference<IOException> failure) {
    if (failure.get() != null) {
      return;
    }
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
      failure.set(e);
    }
  }
}
