package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.Ktriage;
import dev.ktriage.cli.ingest.Ingester;
import dev.ktriage.cli.ingest.LogFiles;
import dev.ktriage.cli.ingest.Progress;
import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.option.OutputOptions;
import dev.ktriage.cli.option.StoreOptions;
import dev.ktriage.cli.option.VmlinuxOptions;
import dev.ktriage.cli.render.LogCounts;
import dev.ktriage.cli.render.StoreJson;
import dev.ktriage.cli.symbolize.DirectorySymbolizer;
import dev.ktriage.cli.symbolize.FrameSymbolizer;
import dev.ktriage.cli.symbolize.SymbolizerSession;
import dev.ktriage.cli.symbolize.VmlinuxDirectory;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.model.Report;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ktriage ingest}: parse logs and add their reports to the store, clustered. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Parse logs and add every crash report to the report store, clustered into bugs; say how many logs "
          + "held no crash, and name what looked like a crash but could not be parsed.",
      "With --vmlinux, reports are symbolized on the way in (as parse --vmlinux does): the store keeps "
          + "their file, line and inlined callees, and clusters on them. A report counts as the same "
          + "whether it was ingested with or without --vmlinux.",
      "With --vmlinux-dir DIR, each report is symbolized with the vmlinux in DIR (any file names, searched "
          + "recursively) that wrote it: the one whose build id the CPU: line prints, else whose linux_banner is "
          + "the log's 'Linux version' line, else whose release and #N are the CPU: line's and whose symbol "
          + "sizes fit the frames' +off/size. Reports no vmlinux matches are stored unsymbolized; the summary "
          + "counts them.",
      "PATH may be a log file (gzip, xz or zstd compressed or not), '-' for stdin, or a directory, read "
          + "recursively (hidden and .json/.jsonl files skipped); in a syzkaller crash directory (one with a 'description' file) the report* files "
          + "are read, or the log* files when there are none. Re-ingesting a report adds nothing."
    })
public final class IngestCommand implements Callable<Integer> {
  /** How long Ctrl-C waits for the ingest to commit before the JVM exits anyway. */
  private static final Duration INTERRUPT_COMMIT_WAIT = Duration.ofMinutes(2);

  @ParentCommand
  Ktriage top;

  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions storeOptions;

  @Mixin
  VmlinuxOptions vmlinux;

  @Option(names = "--vmlinux-dir", paramLabel = "DIR", order = 9,
      description = "Symbolize each report with the vmlinux in DIR (searched recursively) that wrote it: by build id, "
          + "'Linux version' banner, or release and #N checked against the printed symbol sizes.")
  Path vmlinuxDir;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Log files, directories, or '-' for stdin.")
  List<String> paths = new ArrayList<>();

  @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Files parsed in parallel (default: the number of CPUs).")
  int jobs = Runtime.getRuntime().availableProcessors();

  @Mixin
  public OutputOptions output = new OutputOptions();

  @Option(names = "--progress", negatable = true,
      description = "Show the progress line on stderr even when it is not a terminal (--no-progress: never). "
          + "Default: when stderr is a terminal.")
  Boolean progress;

  @Option(names = {"-q", "--quiet"}, description = "Nothing on stderr but errors: no progress line, no notes.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LogFiles.Found found = LogFiles.discover(paths);
    if (found.files().isEmpty()) {
      found.problems().forEach(p -> err.println("ktriage: " + p));
      if (paths.size() > 1) {
        err.println("ktriage: none of the " + paths.size() + " paths given could be read");
      }
      return ExitCodes.USAGE_OR_INPUT;
    }
    if (vmlinuxDir != null) {
      if (vmlinux.given()) {
        throw new InputException("--vmlinux-dir and --vmlinux/--release exclude each other");
      }
      // scanned first: a wrong directory fails before the store is locked
      try (VmlinuxDirectory kernels = VmlinuxDirectory.scan(vmlinuxDir, vmlinux, err)) {
        DirectorySymbolizer perLog = new DirectorySymbolizer(kernels);
        int code = storeOptions.withStore(ReportStore.Mode.READ_WRITE, err,
            store -> ingest(store, found, perLog, Optional.of(perLog), out, err));
        kernels.finish();
        perLog.problem().ifPresent(m -> err.println("ktriage: note: " + m + "; its reports were stored unsymbolized"));
        return code;
      }
    }
    if (vmlinux.given()) {
      // opened first: a wrong --vmlinux fails before the store is locked
      try (SymbolizerSession session = SymbolizerSession.open(vmlinux.image(), vmlinux, err)) {
        FrameSymbolizer frames = new FrameSymbolizer(session);
        // the session is single-threaded and files are parsed in parallel: one report at a time
        UnaryOperator<Report> symbolize = r -> {
          synchronized (frames) {
            return frames.symbolize(r);
          }
        };
        int code = storeOptions.withStore(ReportStore.Mode.READ_WRITE, err,
            store -> ingest(store, found, name -> symbolize, Optional.empty(), out, err));
        synchronized (frames) {
          session.finish(err);
        }
        return code;
      }
    }
    return storeOptions.withStore(ReportStore.Mode.READ_WRITE, err,
        store -> ingest(store, found, name -> UnaryOperator.identity(), Optional.empty(), out, err));
  }

  private int ingest(ReportStore store, LogFiles.Found found, Ingester.PerLog symbolize,
      Optional<DirectorySymbolizer> dir, PrintWriter out, PrintWriter err) throws Exception {
    List<String> files = found.files();
    boolean showProgress = !quiet && (progress != null ? progress : Progress.stderrIsTerminal());
    Progress bar = showProgress ? new Progress(err, files.size(), Ingester.totalBytes(files)) : null;
    Ingester ingester = new Ingester(store, symbolize, top.stdin(), new Ingester.Listener() {
      @Override
      public void problem(String line) {
        say("ktriage: " + line);
      }

      @Override
      public void note(String line) {
        if (!quiet) {
          say("ktriage: note: " + line);
        }
      }

      @Override
      public void progress(int filesDone, long rawBytesRead, long reports) {
        if (bar != null) {
          bar.show(filesDone, rawBytesRead, reports);
        }
      }

      private void say(String line) {
        if (bar != null) {
          bar.say(line);
        } else {
          err.println(line);
        }
      }
    });
    found.problems().forEach(p -> err.println("ktriage: " + p));
    // Ctrl-C: the JVM runs shutdown hooks before it exits (with 130); this one stops the ingest,
    // waits until what was parsed is committed and said, and lets the exit go on.
    CountDownLatch said = new CountDownLatch(1);
    Thread onInterrupt = new Thread(() -> {
      ingester.cancel();
      try {
        said.await(INTERRUPT_COMMIT_WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "ingest-interrupt");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      Ingester.Summary s = ingester.ingest(files, jobs);
      if (bar != null) {
        bar.finish(s.filesRead() + s.failedFiles(), Ingester.totalBytes(files), s.reports());
      }
      int failed = s.failedFiles() + found.problems().size();
      int named = files.size() + found.problems().size();
      if (s.interrupted()) {
        err.printf(Locale.ROOT, "ktriage: interrupted: committed %d reports (%d new) from %d of %d files; "
            + "run the same ingest again to add the rest (stored reports are skipped)%n", s.reports(), s.added(),
            s.filesRead(), files.size());
        err.flush();
        return ExitCodes.INTERRUPTED;
      }
      if (output.text()) {
        String noCrash = LogCounts.noCrash(s.noCrashFiles(), s.unparsedFiles(), s.filesRead());
        out.printf(Locale.ROOT, "ingested %d reports from %d files in %.1f s: %d new, %d already stored; "
            + "%d new clusters, %d known clusters hit%s%s%n", s.reports(), s.files(), s.seconds(), s.added(),
            s.alreadyStored(), s.newClusters(), s.knownClustersHit(), dir.map(d -> String.format(Locale.ROOT,
                "; symbolized %d reports with %s, %d reports of %d logs matched no vmlinux there and stay unsymbolized",
                d.symbolized(), vmlinuxDir, d.unmatched(), d.unmatchedLogs())).orElse(""),
            noCrash.isEmpty() ? "" : "; " + noCrash);
        // named, so that the user can look (a banner the kernel prints, in a shape no grammar rule reads)
        s.unparsed().forEach(u -> out.println("  not parsed: " + u.path() + ":" + u.line() + ": " + u.text()));
      } else {
        out.printf(Locale.ROOT, "{\"files\":%d,\"reports\":%d,\"new\":%d,\"alreadyStored\":%d,\"newClusters\":%d,"
            + "\"knownClustersHit\":%d,\"failedFiles\":%d,\"noCrashFiles\":%d,\"unparsedFiles\":%d,"
            + "\"unparsed\":%s,\"seconds\":%.3f%s}%n", s.files(), s.reports(), s.added(),
            s.alreadyStored(), s.newClusters(), s.knownClustersHit(), failed, s.noCrashFiles(), s.unparsedFiles(),
            new StoreJson().unparsed(s.unparsed()), s.seconds(),
            dir.map(d -> String.format(Locale.ROOT, ",\"symbolized\":%d,\"unmatched\":%d,\"unmatchedLogs\":%d",
                d.symbolized(), d.unmatched(), d.unmatchedLogs())).orElse(""));
      }
      out.flush();
      if (failed > 0) {
        err.println("ktriage: " + failed + " of " + named + (named == 1 ? " file" : " files") + " could not be read");
        return ExitCodes.USAGE_OR_INPUT;
      }
      return ExitCodes.OK;
    } finally {
      err.flush();
      said.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException e) {
        // the JVM is shutting down (Ctrl-C): the hook is running and has just been released
      }
    }
  }
}
