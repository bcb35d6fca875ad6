package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.Ktriage;
import dev.ktriage.cli.ingest.Ingester;
import dev.ktriage.cli.ingest.LogFiles;
import dev.ktriage.cli.ingest.Progress;
import dev.ktriage.cli.option.OutputFormat;
import dev.ktriage.cli.option.StoreOptions;
import dev.ktriage.cli.option.VmlinuxOptions;
import dev.ktriage.cli.symbolize.FrameSymbolizer;
import dev.ktriage.cli.symbolize.DirectorySymbolizer;
import dev.ktriage.cli.symbolize.SymbolizerSession;
import dev.ktriage.cli.symbolize.VmlinuxDirectory;
import dev.ktriage.cli.input.InputException;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.model.Report;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
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
      "Parse logs and add every KASAN and KCSAN report to the report store, clustered into bugs.",
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

  @Option(names = "--format", paramLabel = "FMT", description = "Summary as text (default) or json.")
  OutputFormat format = OutputFormat.text;

  @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Show a progress line on stderr when it is a terminal (default; --no-progress turns it off).")
  boolean progress;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> files = LogFiles.discover(paths);
    if (vmlinuxDir != null) {
      if (vmlinux.given()) {
        throw new InputException("--vmlinux-dir and --vmlinux/--release exclude each other");
      }
      // scanned first: a wrong directory fails before the store is locked
      try (VmlinuxDirectory kernels = VmlinuxDirectory.scan(vmlinuxDir, vmlinux, err)) {
        DirectorySymbolizer perLog = new DirectorySymbolizer(kernels);
        int code = storeOptions.withStore(ReportStore.Mode.READ_WRITE, err,
            store -> ingest(store, files, perLog, Optional.of(perLog), out, err));
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
            store -> ingest(store, files, name -> symbolize, Optional.empty(), out, err));
        synchronized (frames) {
          session.finish(err);
        }
        return code;
      }
    }
    return storeOptions.withStore(ReportStore.Mode.READ_WRITE, err,
        store -> ingest(store, files, name -> UnaryOperator.identity(), Optional.empty(), out, err));
  }

  private int ingest(ReportStore store, List<String> files, Ingester.PerLog perLog,
      Optional<DirectorySymbolizer> dir, PrintWriter out, PrintWriter err) throws Exception {
    Ingester ingester = new Ingester(store, perLog, top.stdin(), err);
    Ingester.Summary s = ingester.ingest(files, jobs, progress && Progress.onTerminal());
    if (format == OutputFormat.text) {
      out.printf(Locale.ROOT, "ingested %d reports from %d files in %.1f s: %d new, %d already stored; %d new clusters, "
          + "%d known clusters hit%s%n", s.reports(), s.files(), s.seconds(), s.added(), s.alreadyStored(), s.newClusters(),
          s.knownClustersHit(), dir.map(d -> String.format(Locale.ROOT,
              "; symbolized %d reports with %s, %d reports of %d logs matched no vmlinux there and stay unsymbolized",
              d.symbolized(), vmlinuxDir, d.unmatched(), d.unmatchedLogs())).orElse(""));
    } else {
      out.printf(Locale.ROOT, "{\"files\":%d,\"reports\":%d,\"new\":%d,\"alreadyStored\":%d,\"newClusters\":%d,"
          + "\"knownClustersHit\":%d,\"failedFiles\":%d,\"seconds\":%.3f%s}%n", s.files(), s.reports(), s.added(),
          s.alreadyStored(), s.newClusters(), s.knownClustersHit(), s.failedFiles(), s.seconds(),
          dir.map(d -> String.format(Locale.ROOT, ",\"symbolized\":%d,\"unmatched\":%d,\"unmatchedLogs\":%d",
              d.symbolized(), d.unmatched(), d.unmatchedLogs())).orElse(""));
    }
    out.flush();
    return s.failedFiles() == 0 ? ExitCodes.OK : ExitCodes.USAGE_OR_INPUT;
  }
}
