package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.option.OutputOptions;
import dev.ktriage.cli.option.StoreOptions;
import dev.ktriage.cli.render.Durations;
import dev.ktriage.cli.render.StoreJson;
import dev.ktriage.depot.store.ClusterListing;
import dev.ktriage.depot.store.ClusterSummary;
import dev.ktriage.depot.store.ReportStore;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ktriage clusters}: the bugs in the store. */
@Command(
    name = "clusters",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "List the clusters (bugs) in the report store: id, reports, first and last seen, title, kernels.")
public final class ClustersCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions storeOptions;

  /** Sort orders. */
  enum SortOrder { count, last, first }

  @Option(names = "--sort", paramLabel = "ORDER", description = "count (default: most reports first), last (most recently seen first) or first (oldest first).")
  SortOrder sort = SortOrder.count;

  @Option(names = "--since", paramLabel = "DATE", converter = Durations.InstantConverter.class,
      description = "Only clusters seen at or after DATE (2024-01-31, 2024-01-31T12:00:00Z, or 7d for seven days ago).")
  Instant since;

  @Option(names = "--limit", paramLabel = "N", description = "At most N clusters (default: all).")
  int limit = Integer.MAX_VALUE;

  @Mixin
  public OutputOptions output = new OutputOptions();

  @Option(names = "--corrupted", description = "Count corrupted reports too (left out by default; stderr says how many were).")
  boolean corrupted;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return storeOptions.withStore(ReportStore.Mode.READ_ONLY, err, s -> {
      ClusterListing listing = s.clusters(corrupted);
      List<ClusterSummary> cs = listing.clusters();
      Comparator<ClusterSummary> order = switch (sort) {
        case count -> Comparator.comparingLong(ClusterSummary::reports).reversed();
        case last -> Comparator.comparing(ClusterSummary::lastSeen).reversed();
        case first -> Comparator.comparing(ClusterSummary::firstSeen);
      };
      cs = cs.stream().filter(c -> since == null || !c.lastSeen().isBefore(since))
          .sorted(order.thenComparingLong(ClusterSummary::id)).limit(limit).toList();
      print(cs, out, err);
      if (listing.corruptedReportsLeftOut() > 0) {
        long shown = listing.corruptedMembersShown();
        err.printf(Locale.ROOT, "ktriage: note: %d corrupted report%s left out of the counts (%d listed beside the "
            + "cluster%s they joined, %d cluster%s of only corrupted ones not shown); --corrupted counts them%n",
            listing.corruptedReportsLeftOut(), listing.corruptedReportsLeftOut() == 1 ? "" : "s", shown,
            shown == 1 ? "" : "s", listing.clustersLeftOut(), listing.clustersLeftOut() == 1 ? "" : "s");
        err.flush();
      }
      return ExitCodes.OK;
    });
  }

  private void print(List<ClusterSummary> cs, PrintWriter out, PrintWriter err) {
    StoreJson json = new StoreJson();
    switch (output.format()) {
      case text -> {
        if (cs.isEmpty()) {
          err.println("ktriage: no clusters");
          return;
        }
        out.printf(Locale.ROOT, "%6s %7s  %-10s  %-10s  %s%n", "ID", "REPORTS", "FIRST", "LAST", "TITLE / KERNELS");
        for (ClusterSummary c : cs) {
          out.printf(Locale.ROOT, "%6d %7d  %-10s  %-10s  %s%n", c.id(), c.reports(), day(c.firstSeen()), day(c.lastSeen()),
              c.title());
          if (!c.releases().isEmpty()) {
            out.printf(Locale.ROOT, "%38s%s%n", "", String.join(", ", c.releases()));
          }
          if (!c.corruptedMembers().isEmpty()) {
            out.printf(Locale.ROOT, "%38s+ %d corrupted%n", "", c.corruptedMembers().size());
          }
        }
      }
      case jsonl -> cs.forEach(c -> out.println(json.cluster(c)));
      case json -> {
        out.print("[");
        for (int i = 0; i < cs.size(); i++) {
          out.print(i == 0 ? "\n" : ",\n");
          out.print(json.cluster(cs.get(i)));
        }
        out.println(cs.isEmpty() ? "]" : "\n]");
      }
    }
    out.flush();
  }

  static String day(Instant t) {
    return t.toString().substring(0, 10);
  }
}
