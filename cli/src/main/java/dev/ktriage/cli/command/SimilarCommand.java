package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.input.LogSource;
import dev.ktriage.cli.option.OutputOptions;
import dev.ktriage.cli.option.StoreOptions;
import dev.ktriage.cli.render.StoreJson;
import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.depot.store.ClusterSummary;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.depot.store.StoredReport;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.model.Report;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ktriage similar}: the clusters most like a report. */
@Command(
    name = "similar",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The clusters most like a report, best first, with their score and the evidence that decided it: 1 the same "
          + "exact key, 0.95 the same faulting instruction, 0.85 the same faulting function with nothing that "
          + "disagrees, 0.75 one object of their common caller, 0.55 aligned stacks across builds; below 0.5 the "
          + "report would not join (stack similarity only).",
      "FILE is a log (each report in it is looked up; '-' is stdin); otherwise the argument is a stored "
          + "report's id, id prefix or SOURCE:LINE. Nothing is added to the store."
    })
public final class SimilarCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions storeOptions;

  @Parameters(paramLabel = "FILE|ID", description = "A log file, '-', or a stored report.")
  String target;

  @Option(names = "-k", paramLabel = "K", description = "How many clusters (default 10).")
  int k = 10;

  @Mixin
  public OutputOptions output = new OutputOptions();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean file = target.equals(LogSource.STDIN) || Files.isRegularFile(Path.of(target));
    List<Report> reports = new ArrayList<>();
    if (file) {
      LogSource source = new LogSource(target);
      try (InputStream in = source.open(System.in)) {
        new KernelLogParser().parse(in, target, reports::add);
      }
      if (reports.isEmpty()) {
        err.println("ktriage: " + target + ": no KASAN or KCSAN reports found");
        return ExitCodes.OK;
      }
    }
    return storeOptions.withStore(ReportStore.Mode.READ_ONLY, err, s -> {
      Map<Long, ClusterSummary> clusters = new HashMap<>();
      for (ClusterSummary c : s.clusters()) {
        clusters.put(c.id(), c);
      }
      if (file) {
        for (Report r : reports) {
          print(r.title().title() + "  (" + r.source().path() + ":" + r.source().firstLine() + ")",
              s.similar(r, Math.max(1, k)), clusters, out);
        }
      } else {
        Optional<StoredReport> r = StoredReports.find(s, target);
        if (r.isEmpty()) {
          err.println("ktriage: " + target + ": no such file or stored report");
          return ExitCodes.USAGE_OR_INPUT;
        }
        print(r.get().title() + "  (" + r.get().location() + ")", s.similar(r.get(), Math.max(1, k)), clusters, out);
      }
      out.flush();
      return ExitCodes.OK;
    });
  }

  private void print(String what, List<Clusterer.Scored> scored, Map<Long, ClusterSummary> clusters, PrintWriter out) {
    StoreJson json = new StoreJson();
    if (output.text()) {
      out.println(what);
      if (scored.isEmpty()) {
        out.println("  no similar cluster");
      }
    }
    int rank = 1;
    for (Clusterer.Scored sc : scored) {
      ClusterSummary c = clusters.get(sc.clusterId());
      if (output.text()) {
        out.printf(Locale.ROOT, "  %2d. cluster %-6d score %.3f  %5d reports  %s%n", rank, sc.clusterId(), sc.score(),
            c == null ? 0 : c.reports(), c == null ? "" : c.title());
        if (!sc.why().isEmpty()) {
          out.printf(Locale.ROOT, "      why: %s%n", sc.why());
        }
      } else {
        out.println(json.similar(rank, sc.clusterId(), sc.score(), c, sc.why()));
      }
      rank++;
    }
  }
}
