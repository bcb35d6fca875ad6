package dev.ktriage.cli;

import dev.ktriage.cli.command.Addr2lineCommand;
import dev.ktriage.cli.command.ClustersCommand;
import dev.ktriage.cli.command.CompletionCommand;
import dev.ktriage.cli.command.DepotCommand;
import dev.ktriage.cli.command.GcCommand;
import dev.ktriage.cli.command.MergeCommand;
import dev.ktriage.cli.command.IndexCommand;
import dev.ktriage.cli.command.IngestCommand;
import dev.ktriage.cli.command.ParseCommand;
import dev.ktriage.cli.command.SearchCommand;
import dev.ktriage.cli.command.ShowCommand;
import dev.ktriage.cli.command.SimilarCommand;
import dev.ktriage.cli.command.StoreCommand;
import dev.ktriage.cli.command.SymbolizeCommand;
import dev.ktriage.cli.fastpath.Addr2lineArgs;
import dev.ktriage.cli.fastpath.ParseArgs;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/** The top-level {@code ktriage} command; each job is a subcommand class. */
@Command(
    name = "ktriage",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Post-mortem analyzer for Linux kernel crash logs (KASAN, KCSAN, ...).",
    exitCodeListHeading = "%nExit codes:%n",
    commandListHeading = "%nCommands:%n")
public final class Ktriage {

  @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
  public boolean debug;

  // Commands that copy a log byte for byte (symbolize) read and write these; the writer picocli
  // gets wraps the same stdout.
  private InputStream stdin = System.in;
  private OutputStream stdoutBytes;

  /**
   * How a run ended: its exit code, and whether a fast path ran it without picocli ({@link
   * Addr2lineArgs}, {@link ParseArgs}); such runs leave only daemon threads behind.
   */
  record Ending(int code, boolean quick) {}

  /** Runs ktriage with the process's stdin, stdout and stderr. */
  static Ending run(String[] args) {
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    // The descriptor itself, not System.out, for the bytes and the text alike: a PrintStream swallows
    // EPIPE, and a filter must see it to stop when its reader has gone (| head).
    FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), 1 << 16));
    return run(args, System.in, stdout, out, err);
  }

  /** Runs ktriage with the given writers; tests use this. Bytes a command copies are decoded as UTF-8. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, System.in, new WriterBytes(out), out, err).code();
  }

  /** Runs ktriage on byte streams, so that {@code symbolize} can copy lines exactly; tests use this too. */
  public static int run(String[] args, InputStream in, OutputStream out, PrintWriter err) {
    PrintWriter w = new PrintWriter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16));
    return run(args, in, out, w, err).code();
  }

  private static Ending run(String[] args, InputStream in, OutputStream bytes, PrintWriter out, PrintWriter err) {
    Ktriage top = new Ktriage();
    top.stdin = in;
    top.stdoutBytes = bytes;
    // Plain addr2line and parse command lines skip picocli's model (see fastpath/ and
    // docs/performance.md#the-launcher).
    Addr2lineCommand addr2line = Addr2lineArgs.parse(args, top);
    ParseCommand parse = addr2line == null ? ParseArgs.parse(args, top) : null;
    if (addr2line != null || parse != null) {
      int code;
      try {
        code = addr2line != null ? addr2line.run(out, err) : parse.run(out, err);
      } catch (Exception e) {
        code = ErrorReporter.report(e, err, top.debug);
      }
      out.flush();
      err.flush();
      return new Ending(code, true);
    }
    return new Ending(WithPicocli.run(top, args, out, err), false);
  }

  /**
   * The command line through picocli. A class of its own, so that a run that skips picocli loads
   * none of its classes (the verifier of a class loads the types its methods pass around).
   */
  private static final class WithPicocli {
    private WithPicocli() {
      // no instance
    }

    /**
     * The subcommands, in the order help lists them. They are registered lazily: picocli reflects
     * over every registered command when the command line is built (docs/performance.md says what that
     * costs), so a run registers only the command it runs, and all of them only for help, completion or
     * errors.
     */
    private static final List<Map.Entry<String, Supplier<Object>>> COMMANDS = List.of(
        Map.entry("parse", ParseCommand::new),
        Map.entry("symbolize", SymbolizeCommand::new),
        Map.entry("addr2line", Addr2lineCommand::new),
        Map.entry("index", IndexCommand::new),
        Map.entry("ingest", IngestCommand::new),
        Map.entry("clusters", ClustersCommand::new),
        Map.entry("search", SearchCommand::new),
        Map.entry("show", ShowCommand::new),
        Map.entry("similar", SimilarCommand::new),
        Map.entry("gc", GcCommand::new),
        Map.entry("merge", MergeCommand::new),
        Map.entry("depot", DepotCommand::new),
        Map.entry("store", StoreCommand::new),
        Map.entry("completion", CompletionCommand::new),
        Map.entry("help", CommandLine.HelpCommand::new));

    private static int run(Ktriage top, String[] args, PrintWriter out, PrintWriter err) {
      CommandLine cl = new CommandLine(top);
      String wanted = commandName(args);
      for (Map.Entry<String, Supplier<Object>> c : COMMANDS) {
        if (wanted == null || wanted.equals(c.getKey())) {
          cl.addSubcommand(c.getKey(), c.getValue().get());
        }
      }
      cl.setOut(out);
      cl.setErr(err);
      cl.setCaseInsensitiveEnumValuesAllowed(true);
      cl.setExecutionExceptionHandler(new ErrorReporter(() -> top.debug));
      // Like grep: the problem and where to look, not the whole usage text.
      cl.setParameterExceptionHandler((ex, args1) -> ErrorReporter.usage(ex));
      configure(cl);
      int code = cl.execute(args);
      out.flush();
      err.flush();
      return code;
    }

    // Every command, nested ones too, lists the exit codes in its help and answers --version.
    private static void configure(CommandLine cl) {
      cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.helpList());
      cl.getCommandSpec().versionProvider(new VersionProvider());
      for (CommandLine sub : cl.getSubcommands().values()) {
        configure(sub);
      }
    }

    // The subcommand the arguments name (the first argument that is not an option), or null when
    // every command is needed: top-level help or version, "help", "completion" (its script covers them
    // all), an unknown or missing command.
    private static String commandName(String[] args) {
      for (String a : args) {
        if (a.startsWith("-")) {
          continue;
        }
        for (Map.Entry<String, Supplier<Object>> c : COMMANDS) {
          if (c.getKey().equals(a) && !a.equals("help") && !a.equals("completion")) {
            return a;
          }
        }
        return null;
      }
      return null;
    }
  }

  /** The subcommands' names, in help order ({@code help} included). */
  static List<String> commandNames() {
    return WithPicocli.COMMANDS.stream().map(Map.Entry::getKey).toList();
  }

  /** Standard input as bytes. */
  public InputStream stdin() {
    return stdin;
  }

  /** Standard output as bytes; flush the command's writer before writing here. */
  public OutputStream stdoutBytes() {
    return stdoutBytes;
  }

  /** Bytes into a writer, decoded as UTF-8 at each flush (callers flush at line ends). */
  private static final class WriterBytes extends OutputStream {
    private final PrintWriter w;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    WriterBytes(PrintWriter w) {
      this.w = w;
    }

    @Override
    public void write(int b) {
      pending.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      pending.write(b, off, len);
    }

    @Override
    public void flush() {
      w.write(pending.toString(StandardCharsets.UTF_8));
      pending.reset();
      w.flush();
    }
  }
}
