package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.Ktriage;
import dev.ktriage.cli.input.LogSource;
import dev.ktriage.cli.input.LogStream;
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
import picocli.CommandLine.ParentCommand;
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
      "FILE is a log (each report in it is looked up; '-' or nothing reads stdin); otherwise the argument "
          + "is a stored report's id, id prefix or SOURCE:LINE. Nothing is added to the store.",
      "With --format jsonl, every line names the report it answers (\"query\": path, firstLine, title) and one "
          + "cluster (\"rank\" 1, 2, ...) with \"why\", or \"rank\": 0 when no cluster comes close."
    })
public final class SimilarCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions storeOptions;

  @ParentCommand
  Ktriage top;

  @Parameters(paramLabel = "FILE|ID", arity = "0..1",
      description = "A log file, '-' for stdin (the default), or a stored report.")
  String target = LogSource.STDIN;

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
      try (LogStream in = source.open(top.stdin())) {
        new KernelLogParser().parse(in, target, reports::add);
      }
      if (reports.isEmpty()) {
        err.println("ktriage: " + target + ": no crash reports found");
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
          print(new StoreJson.SimilarQuery(r.source().path(), r.source().firstLine(), r.title().title()),
              s.similar(r, Math.max(1, k)), clusters, out);
        }
      } else {
        Optional<StoredReport> r = StoredReports.find(s, target);
        if (r.isEmpty()) {
          err.println("ktriage: " + target + ": no such file or stored report");
          return ExitCodes.USAGE_OR_INPUT;
        }
        StoredReport sr = r.get();
        print(new StoreJson.SimilarQuery(sr.source(), sr.line(), sr.title()),
            s.similar(sr, Math.max(1, k)), clusters, out);
      }
      out.flush();
      return ExitCodes.OK;
    });
  }

  private void print(StoreJson.SimilarQuery query, List<Clusterer.Scored> scored, Map<Long, ClusterSummary> clusters,
      PrintWriter out) {
    StoreJson json = new StoreJson();
    if (output.text()) {
      out.println(query.title() + "  (" + query.path() + ":" + query.firstLine() + ")");
      if (scored.isEmpty()) {
        out.println("  no similar cluster");
      }
    } else if (scored.isEmpty()) {
      out.println(json.similar(query, 0, 0, 0, null));
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
        out.println(json.similar(query, rank, sc.clusterId(), sc.score(), c, sc.why()));
      }
      rank++;
    }
  }
}
