package dev.ktriage.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code ktriage} command; each job is a subcommand class. */
@Command(
    name = "ktriage",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Post-mortem analyzer for Linux kernel crash logs (KASAN, KCSAN, ...).",
    subcommands = {ParseCommand.class, IngestCommand.class, ClustersCommand.class, SearchCommand.class,
      ShowCommand.class, SimilarCommand.class, GcCommand.class, DepotCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    commandListHeading = "%nCommands:%n")
public final class Ktriage {

  @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
  boolean debug;

  /** Runs ktriage with the process's stdout and stderr. */
  static int run(String[] args) {
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    return run(args, out, err);
  }

  /** Runs ktriage with the given writers; tests use this. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    Ktriage top = new Ktriage();
    CommandLine cl = new CommandLine(top);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(new ErrorReporter(() -> top.debug));
    // Like grep: the problem and where to look, not the whole usage text.
    cl.setParameterExceptionHandler((ex, args1) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("ktriage: " + ex.getMessage());
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
      c.getErr().flush();
      return ExitCodes.USAGE_OR_INPUT;
    });
    cl.getCommandSpec().usageMessage().exitCodeList(ExitCodes.helpList());
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.helpList());
    }
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
