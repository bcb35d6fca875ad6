package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.option.OutputOptions;
import dev.ktriage.cli.option.StoreOptions;
import dev.ktriage.cli.render.StoreJson;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.depot.store.SearchResult;
import dev.ktriage.depot.store.StoredReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ktriage search}: reports matching a Lucene query. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Search the report store with Lucene query syntax over the report fields.",
      "Words without a field search the title (weighted most), header, guilty functions and the access stack's "
          + "functions and files, split like identifiers: io_uring finds io_uring_cancel_generic, ext4 finds fs/ext4/xattr.c.",
      "Examples:  bugType:slab-use-after-free AND function:ext4_*    guilty:tty_ldisc_deref    release:6.1*",
      "  file:fs/ext4/*    file:drivers/usb/    size:[4 TO 16]    time:[2024-01-01 TO *]    cluster:17    io_uring",
      "Fields: title altTitle text tool bugType bugClass op size guilty function file module release arch task "
          + "source line cluster time ingested uptime id key corrupted (see docs/store.md).",
      "Corrupted reports are left out (and counted on stderr) unless --corrupted or the query names corrupted:."
    })
public final class SearchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions storeOptions;

  @Parameters(paramLabel = "QUERY", arity = "0..*", description = "The query (words are joined with spaces); none lists every report.")
  List<String> query = new ArrayList<>();

  @Option(names = "--facets", description = "Also count the matches per tool, bug type, cluster and kernel release.")
  boolean facets;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Show at most N reports (default 20).")
  int limit = 20;

  @Mixin
  public OutputOptions output = new OutputOptions();

  @Option(names = "--corrupted", description = "Include corrupted reports (left out by default; stderr says how many were).")
  boolean corrupted;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return storeOptions.withStore(ReportStore.Mode.READ_ONLY, err, s -> {
      // a query that cannot match because of how it is written: ErrorReporter says so, exit 2
      SearchResult r = s.search(String.join(" ", query), Math.max(0, limit), facets, !output.text(), corrupted);
      StoreJson json = new StoreJson();
      switch (output.format()) {
        case text -> {
          out.printf(Locale.ROOT, "%d report%s%s%n", r.total(), r.total() == 1 ? "" : "s",
              r.total() > r.hits().size() ? " (showing " + r.hits().size() + ")" : "");
          for (StoredReport h : r.hits()) {
            out.printf(Locale.ROOT, "%s  cluster %-5d %s  %s%n    %s%n", h.id().substring(0, 12), h.clusterId(),
                ClustersCommand.day(h.time()), h.title(), h.location());
          }
          if (facets) {
            for (var e : r.facets().entrySet()) {
              StringBuilder sb = new StringBuilder();
              for (SearchResult.FacetCount c : e.getValue()) {
                sb.append(sb.isEmpty() ? "" : ", ").append(c.value()).append(' ').append(c.count());
              }
              out.printf(Locale.ROOT, "%-8s %s%n", e.getKey(), sb);
            }
          }
        }
        case jsonl -> {
          for (StoredReport h : r.hits()) {
            out.println(json.report(h, true));
          }
          if (facets) {
            out.println(json.facets(r.facets(), r.total()));
          }
        }
        case json -> {
          out.print("{\"total\":" + r.total() + ",\"hits\":[");
          for (int i = 0; i < r.hits().size(); i++) {
            out.print(i == 0 ? "\n" : ",\n");
            out.print(json.report(r.hits().get(i), true));
          }
          out.print(r.hits().isEmpty() ? "]" : "\n]");
          if (facets) {
            String f = json.facets(r.facets(), r.total());
            out.print(",\"facets\":" + f.substring(f.indexOf("\"facets\":") + 9, f.length() - 1));
          }
          out.println("}");
        }
      }
      out.flush();
      if (r.corruptedLeftOut() > 0) {
        err.printf(Locale.ROOT, "ktriage: note: %d corrupted report%s matched and %s left out; --corrupted shows them%n",
            r.corruptedLeftOut(), r.corruptedLeftOut() == 1 ? "" : "s", r.corruptedLeftOut() == 1 ? "was" : "were");
        err.flush();
      }
      return ExitCodes.OK;
    });
  }
}
