package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.option.StoreOptions;
import dev.ktriage.depot.store.StoreCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ktriage store}: the store as a whole; its one subcommand is {@code check}. */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = "The report store as a whole.",
    subcommands = StoreCommand.Check.class)
public final class StoreCommand extends CommandGroup {

  /** {@code ktriage store check}. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Verify the whole store, as Lucene's CheckIndex does: every byte of every index file against its checksum, "
            + "the structure of each segment, the depot files against the commit. Says what is damaged and how many "
            + "reports can be read back. Reads only; exit 0 when intact, 3 when damaged.",
        "With --recover-to, the reports that can be read back are added to a new store there (the damaged store is "
            + "left as it is)."
      })
  static final class Check implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--recover-to", paramLabel = "NEWDIR",
        description = "Add every report that can be read back to a new store in NEWDIR.")
    Path recoverTo;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (storeOptions.cluster().isPresent()) {
        // an OpenSearch cluster keeps its own checksums and replicas; its health is the cluster's to report
        err.println("ktriage: " + storeOptions.cluster().get() + ": store check verifies an embedded store; "
            + "for an OpenSearch cluster ask the cluster (_cluster/health, _cat/shards)");
        return ExitCodes.USAGE_OR_INPUT;
      }
      Path dir = storeOptions.directory();
      StoreCheck.Result r = StoreCheck.check(dir);
      if (!r.exists()) {
        err.println("ktriage: no store at " + dir);
        return ExitCodes.STORE;
      }
      out.printf(Locale.ROOT, "store     %s%n", dir);
      for (StoreCheck.Item i : r.items()) {
        out.printf(Locale.ROOT, "%-9s %-22s %s%n", word(i.status()), i.what(), i.detail());
      }
      for (StoreCheck.Segment s : r.segments()) {
        String detail = s.reports() + " reports";
        if (!s.damaged().isEmpty()) {
          detail += (s.recoverable() ? ", can be read back" : ", cannot be read back") + ": " + String.join("; ", s.damaged());
        }
        out.printf(Locale.ROOT, "%-9s %-22s %s%n", s.damaged().isEmpty() ? "ok" : "DAMAGED", "segment " + s.name(), detail);
      }
      if (!r.damaged()) {
        out.printf(Locale.ROOT, "intact: %d reports%n", r.reports());
        out.flush();
        return recoverTo == null ? ExitCodes.OK : recover(r, out);
      }
      out.printf(Locale.ROOT, "damaged: %d of %d reports can be read back%s%n", r.recoverable(), r.reports(),
          r.recoverable() == 0 ? ""
              : recoverTo != null ? "" : "; 'ktriage store check --store " + dir + " --recover-to NEWDIR' adds them to a "
                  + "new store (this one is left as it is)");
      if (r.recoverable() < r.reports() || r.segments().isEmpty()) {
        out.println("the others are lost with the damaged files: ingest their logs again (re-ingesting adds nothing twice)");
      }
      out.flush();
      if (recoverTo != null && r.recoverable() > 0) {
        return recover(r, out);
      }
      // the listing above is the command's output; the error, as for every exit 3, is one line on stderr
      err.println("ktriage: " + dir + ": damaged (" + firstDamage(r) + "); " + r.recoverable() + " of " + r.reports()
          + " reports can be read back");
      return ExitCodes.STORE;
    }

    private int recover(StoreCheck.Result r, PrintWriter out) throws Exception {
      long n = StoreCheck.recover(r, recoverTo, done -> { });
      out.printf(Locale.ROOT, "recovered %d reports into %s%n", n, recoverTo);
      out.flush();
      return ExitCodes.OK;
    }

    /** The first damaged file and what is wrong with it, to name in the error line. */
    private static String firstDamage(StoreCheck.Result r) {
      for (StoreCheck.Item i : r.items()) {
        if (i.status() == StoreCheck.Status.DAMAGED) {
          return i.what() + ": " + i.detail();
        }
      }
      return r.segments().stream().flatMap(s -> s.damaged().stream()).findFirst().orElse("see above");
    }

    private static String word(StoreCheck.Status s) {
      return switch (s) {
        case OK -> "ok";
        case STALE -> "stale";
        case MISSING -> "missing";
        case DAMAGED -> "DAMAGED";
      };
    }
  }
}
