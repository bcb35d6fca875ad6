package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.option.StoreOptions;
import dev.ktriage.depot.store.MergeResult;
import dev.ktriage.depot.store.ReportStore;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ktriage merge}: the single-writer pass that joins clusters several ingesters opened for one bug. */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Join the clusters that ingesters writing to one shared store at the same time opened for "
        + "one bug (run it from one machine at a time, e.g. after each round of ingests). Reports are not "
        + "rewritten: a merged cluster's id reads as the cluster it joined. The embedded store has one "
        + "writer and never needs it.")
public final class MergeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StoreOptions storeOptions;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return storeOptions.withStore(ReportStore.Mode.READ_WRITE, err, s -> {
      MergeResult r = s.merge();
      for (MergeResult.Merged m : r.merges()) {
        out.printf(Locale.ROOT, "cluster %d -> %d (score %.3f): %s%n", m.cluster(), m.into(), m.score(), m.why());
      }
      out.printf(Locale.ROOT, "%d clusters looked at, %d merged%n", r.clusters(), r.merges().size());
      out.flush();
      return ExitCodes.OK;
    });
  }
}
