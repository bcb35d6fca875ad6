package dev.ktriage.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code ktriage} command; each job is a subcommand class. */
@Command(
    name = "ktriage",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Post-mortem analyzer for Linux kernel crash logs (KASAN, KCSAN, ...).",
    subcommands = {CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    commandListHeading = "%nCommands:%n")
public final class Ktriage {

  /** Runs ktriage with the process's stdout and stderr. */
  static int run(String[] args) {
    return run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
  }

  /** Runs ktriage with the given writers; tests use this. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Ktriage());
    cl.setOut(out);
    cl.setErr(err);
    cl.getCommandSpec().usageMessage().exitCodeList(ExitCodes.helpList());
    cl.setExecutionStrategy(new CommandLine.RunLast());
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
