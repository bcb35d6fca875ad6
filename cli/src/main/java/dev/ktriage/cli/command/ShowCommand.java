package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.option.OutputOptions;
import dev.ktriage.cli.option.StoreOptions;
import dev.ktriage.cli.render.StoreJson;
import dev.ktriage.depot.cluster.Cluster;
import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.depot.store.ClusterSummary;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.depot.store.StoredReport;
import dev.ktriage.model.StackRole;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ktriage show}: one stored report or one cluster. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Show a stored report or a cluster.",
      "ID is a cluster id (17, or c17), a report id or a unique prefix of it (at least 6 hex digits), or "
          + "a report's location SOURCE:LINE as listed by 'clusters --format jsonl' and 'search'."
    })
public final class ShowCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions storeOptions;

  @Parameters(paramLabel = "ID", description = "Cluster id, report id (prefix) or SOURCE:LINE.")
  String id;

  @Option(names = "--explain", description = "Say why the report is in its cluster (the exact key, or the similarity score and the aligned frames), or which keys lead to the cluster.")
  boolean explain;

  @Mixin
  public OutputOptions output = new OutputOptions();

  private static final Pattern CLUSTER = Pattern.compile("c?(\\d{1,5})");

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return storeOptions.withStore(ReportStore.Mode.READ_ONLY, err, s -> {
      Matcher c = CLUSTER.matcher(id);
      if (c.matches()) {
        Optional<ClusterSummary> cs = s.cluster(Long.parseLong(c.group(1)));
        if (cs.isEmpty()) {
          err.println("ktriage: no cluster " + c.group(1));
          return ExitCodes.USAGE_OR_INPUT;
        }
        cluster(cs.get(), s.clusterDetail(cs.get().id()), out);
        return ExitCodes.OK;
      }
      Optional<StoredReport> r = StoredReports.find(s, id);
      if (r.isEmpty()) {
        err.println("ktriage: no report " + id + " (give a cluster id, a report id or prefix of 6+ digits, or SOURCE:LINE)");
        return ExitCodes.USAGE_OR_INPUT;
      }
      report(r.get(), s, out);
      return ExitCodes.OK;
    });
  }

  private void cluster(ClusterSummary c, Optional<Cluster.Snapshot> detail, PrintWriter out) {
    if (!output.text()) {
      out.println(new StoreJson().cluster(c));
      out.flush();
      return;
    }
    out.printf(Locale.ROOT, "cluster %d: %s%n", c.id(), c.title());
    out.printf(Locale.ROOT, "  reports   %d, first seen %s, last seen %s%n", c.reports(), c.firstSeen(), c.lastSeen());
    if (!c.releases().isEmpty()) {
      out.printf(Locale.ROOT, "  kernels   %s%n", String.join(", ", c.releases()));
    }
    for (String t : c.titles()) {
      out.printf(Locale.ROOT, "  title     %s%n", t);
    }
    if (explain && detail.isPresent()) {
      for (String k : detail.get().exactKeys()) {
        out.printf(Locale.ROOT, "  key       %s%n", k);
      }
    }
    for (int i = 0; i < c.members().size(); i++) {
      out.printf(Locale.ROOT, "  report    %s  %s%n", c.memberIds().get(i).substring(0, 12), c.members().get(i));
    }
    out.flush();
  }

  private void report(StoredReport r, ReportStore s, PrintWriter out) throws java.io.IOException {
    if (!output.text()) {
      out.println(new StoreJson().report(r, true));
      out.flush();
      return;
    }
    out.printf(Locale.ROOT, "report %s%n", r.id());
    out.printf(Locale.ROOT, "  title     %s%n", r.title());
    for (String a : r.altTitles()) {
      out.printf(Locale.ROOT, "  also      %s%n", a);
    }
    out.printf(Locale.ROOT, "  kind      %s %s%n", r.tool(), r.bugType());
    out.printf(Locale.ROOT, "  source    %s%n", r.location());
    out.printf(Locale.ROOT, "  cluster   %d%n", r.clusterId());
    if (!r.release().isEmpty()) {
      out.printf(Locale.ROOT, "  kernel    %s%n", r.release());
    }
    out.printf(Locale.ROOT, "  time      %s (ingested %s)%n", r.time(), r.ingested());
    for (StackRole role : StackRole.values()) {
      Integer h = r.handles().get(role);
      if (h == null) {
        continue;
      }
      List<String> frames = s.frames(h);
      out.printf(Locale.ROOT, "  %-9s %s (depot stack %s)%n", role.name().toLowerCase(Locale.ROOT).replace('_', '-'),
          frames.isEmpty() ? "" : frames.getFirst(), dev.ktriage.depot.stack.StackHandle.format(h));
      for (String f : frames.subList(Math.min(1, frames.size()), frames.size())) {
        out.printf(Locale.ROOT, "            %s%n", f);
      }
    }
    if (explain) {
      out.printf(Locale.ROOT, "  why       %s%n", r.assignment());
      List<Clusterer.Scored> near = s.similar(r, 4);
      for (Clusterer.Scored n : near) {
        if (n.clusterId() != r.clusterId()) {
          out.printf(Locale.ROOT, "  next      cluster %d scores %.3f now: %s%n", n.clusterId(), n.score(), n.why());
        }
      }
    }
    out.flush();
  }
}
