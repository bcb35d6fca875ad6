package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.option.StoreOptions;
import dev.ktriage.cli.render.Durations;
import dev.ktriage.depot.store.ReportStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ktriage gc}: retention. */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Remove old reports from the store and free the stacks only they used. "
        + "A report's age is its printed wall-clock time, else when it was ingested.")
public final class GcCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions storeOptions;

  static final class Limit {
    @Option(names = "--older-than", paramLabel = "AGE", required = true, converter = Durations.DurationConverter.class,
        description = "Remove reports older than AGE (90d, 12h, 2w, P90D).")
    Duration olderThan;

    @Option(names = "--max-reports", paramLabel = "N", required = true,
        description = "Keep only the N newest reports.")
    Long maxReports;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Limit limit;

  @Option(names = {"-n", "--dry-run"}, description = "Say how many reports would go, and change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (limit.maxReports != null && limit.maxReports < 0) {
      err.println("ktriage: --max-reports must be 0 or more");
      return ExitCodes.USAGE_OR_INPUT;
    }
    if (dryRun) {
      return storeOptions.withStore(ReportStore.Mode.READ_ONLY, err, s -> {
        long total = s.stats().reports();
        long going;
        if (limit.olderThan != null) {
          // the same selection as removeOlderThan: a report's time (printed, else ingested) before the cutoff
          long cutoff = Instant.now().minus(limit.olderThan).toEpochMilli();
          going = s.search("time:{* TO " + cutoff + "}", 0, false, false, true).total();
        } else {
          going = Math.max(0, total - limit.maxReports);
        }
        out.printf(Locale.ROOT, "would remove %d of %d reports (dry run: nothing was changed)%n", going, total);
        out.flush();
        return ExitCodes.OK;
      });
    }
    return storeOptions.withStore(ReportStore.Mode.READ_WRITE, err, s -> {
      long freedBefore = s.depotStats().frees();
      long removed = limit.olderThan != null ? s.removeOlderThan(Instant.now().minus(limit.olderThan))
          : s.keepNewest(limit.maxReports);
      var st = s.stats();
      out.printf(Locale.ROOT, "removed %d reports, freed %d stacks; %d reports in %d clusters remain%n", removed,
          s.depotStats().frees() - freedBefore, st.reports(), st.clusters());
      out.flush();
      return ExitCodes.OK;
    });
  }
}
