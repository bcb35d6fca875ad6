package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.option.OutputOptions;
import dev.ktriage.cli.option.StoreOptions;
import dev.ktriage.cli.render.StoreJson;
import dev.ktriage.depot.stack.DepotStats;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.depot.store.StoreStats;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ktriage depot}: the stack depot; its one subcommand is {@code stats}. */
@Command(
    name = "depot",
    mixinStandardHelpOptions = true,
    description = "The stack depot that stores each distinct stack once.",
    subcommands = DepotCommand.Stats.class)
public final class DepotCommand extends CommandGroup {

  /** {@code ktriage depot stats}. */
  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description = "Store and stack depot counters: reports, clusters, stacks, frames, dedup ratio, and the kernel "
          + "stackdepot's allocations/frees/in-use/freelist.")
  static final class Stats implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      return storeOptions.withStore(ReportStore.Mode.READ_ONLY, err, store -> {
        StoreStats s = store.stats();
        if (!output.text()) {
          out.println(new StoreJson().stats(s));
        } else {
          DepotStats d = s.depot();
          out.printf(Locale.ROOT, "store            %s%n", storeOptions.directory());
          out.printf(Locale.ROOT, "reports          %d%n", s.reports());
          out.printf(Locale.ROOT, "clusters         %d%n", s.clusters());
          out.printf(Locale.ROOT, "index bytes      %d (%.0f per report)%n", s.indexBytes(),
              s.reports() == 0 ? 0.0 : (double) s.indexBytes() / s.reports());
          out.printf(Locale.ROOT, "stacks           %d%n", d.stacks());
          out.printf(Locale.ROOT, "frames stored    %d (%d distinct frame strings)%n", d.framesStored(), d.distinctFrames());
          out.printf(Locale.ROOT, "frame references %d%n", d.frameReferences());
          out.printf(Locale.ROOT, "dedup ratio      %.2f%n", d.dedupRatio());
          out.printf(Locale.ROOT, "depot bytes      %d in memory, %d on disk%n", d.bytes(), s.depotFileBytes());
          out.printf(Locale.ROOT, "allocations      %d%n", d.allocations());
          out.printf(Locale.ROOT, "frees            %d%n", d.frees());
          out.printf(Locale.ROOT, "in use           %d%n", d.inUse());
          out.printf(Locale.ROOT, "freelist         %d%n", d.freelist());
        }
        out.flush();
        return ExitCodes.OK;
      });
    }
  }
}
