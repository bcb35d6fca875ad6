package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.reportjson.ReportJsonWriter;
import dev.ktriage.cli.fastpath.ParseArgs;
import dev.ktriage.cli.input.BinarySniffer;
import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.input.LogErrors;
import dev.ktriage.cli.input.LogSource;
import dev.ktriage.cli.option.ColorMode;
import dev.ktriage.cli.option.OutputFormat;
import dev.ktriage.cli.option.VmlinuxOptions;
import dev.ktriage.cli.render.ReportText;
import dev.ktriage.cli.symbolize.FrameSymbolizer;
import dev.ktriage.cli.symbolize.SymbolizerSession;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.grammar.parse.ParseStats;
import dev.ktriage.model.Report;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ktriage parse}: every KASAN and KCSAN report in the given logs, as text or JSON. */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Find every KASAN and KCSAN report in kernel console logs (dmesg, serial consoles, syzkaller "
          + "logs, journald/syslog) and print it structured: title, bug type, access, stacks, object.",
      "Logs may be gzip, xz or zstd compressed; '-' or no FILE reads stdin.",
      "With --vmlinux, every frame gets its file, line and inlined callees."
    })
public final class ParseCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Log files; '-' is stdin (the default).")
  public List<String> files = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FMT", description = "text (default), json (one array) or jsonl (one report per line).")
  public OutputFormat format = OutputFormat.text;

  @Option(names = "--check", description = "Exit with 1 when reports were found (0 when none), for scripts and CI.")
  public boolean check;

  @Option(names = "--color", paramLabel = "WHEN", description = "Colour text output: auto (default, on a terminal), always, never.")
  public ColorMode color = ColorMode.auto;

  @Mixin
  public VmlinuxOptions vmlinux;

  // Created on first use: text output does not need it.
  private ReportJsonWriter json;

  private ReportJsonWriter json() {
    if (json == null) {
      json = new ReportJsonWriter(new GuiltyFiles()::guiltyFile);
    }
    return json;
  }

  @Override
  public Integer call() throws InputException, IOException {
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Runs the command, printing to {@code out} and {@code err}; {@link ParseArgs}'s lines come here directly. */
  public int run(PrintWriter out, PrintWriter err) throws InputException, IOException {
    List<LogSource> sources = sources();
    if (vmlinux.given()) {
      try (SymbolizerSession session = SymbolizerSession.open(vmlinux.image(), vmlinux, err)) {
        FrameSymbolizer frames = new FrameSymbolizer(session);
        int code = parse(sources, out, err, r -> frames.symbolize(r));
        session.finish(err);
        return code;
      }
    }
    return parse(sources, out, err, r -> r);
  }

  private int parse(List<LogSource> sources, PrintWriter out, PrintWriter err, UnaryOperator<Report> symbolize)
      throws InputException {
    Sink sink = new Sink(out, symbolize);
    KernelLogParser parser = new KernelLogParser();
    ParseStats stats = new ParseStats();
    sink.begin();
    for (LogSource source : sources) {
      if (sink.closed) {
        break;
      }
      long cutBefore = stats.cutLines();
      long reportsBefore = stats.reports();
      BinarySniffer sniffer;
      try (InputStream in = source.open(System.in)) {
        sniffer = new BinarySniffer(in);
        parser.parse(sniffer, source.name(), sink::accept, stats);
      } catch (IOException e) {
        throw new InputException(source.name() + ": " + LogErrors.describe(e), e);
      }
      if (sniffer.looksBinary() && stats.reports() == reportsBefore) {
        err.println("ktriage: " + source.name() + ": binary data, not a text log; no reports in it");
      }
      long cut = stats.cutLines() - cutBefore;
      if (cut > 0) {
        err.println("ktriage: " + source.name() + ": " + cut + (cut == 1 ? " line was" : " lines were")
            + " longer than 16 KiB and cut");
      }
    }
    sink.end();
    out.flush();
    if (stats.reports() == 0 && format == OutputFormat.text) {
      err.println("ktriage: no KASAN or KCSAN reports found");
    }
    return check && stats.reports() > 0 ? ExitCodes.REPORTS_FOUND : ExitCodes.OK;
  }

  // Checks every argument before printing anything, so a typo in the last file does not leave
  // half an output behind.
  private List<LogSource> sources() throws InputException {
    List<LogSource> out = new ArrayList<>();
    if (files.isEmpty()) {
      files = List.of(LogSource.STDIN);
    }
    for (String f : files) {
      if (!f.equals(LogSource.STDIN)) {
        Path p = Path.of(f);
        if (Files.isDirectory(p)) {
          throw new InputException(f + ": is a directory (parse takes log files; ingest takes directories)");
        }
        if (!Files.exists(p)) {
          throw new InputException(f + ": no such file");
        }
        if (!Files.isReadable(p)) {
          throw new InputException(f + ": permission denied");
        }
      }
      out.add(new LogSource(f));
    }
    return out;
  }

  /** Prints reports as they come, in the chosen format; stops quietly when stdout is closed. */
  private final class Sink {
    private final PrintWriter out;
    private final UnaryOperator<Report> symbolize;
    private final ReportText text = new ReportText(color.ansi());
    private int count;
    private boolean closed;

    Sink(PrintWriter out, UnaryOperator<Report> symbolize) {
      this.out = out;
      this.symbolize = symbolize;
    }

    void begin() {
      if (format == OutputFormat.json) {
        out.print("[");
      }
    }

    void accept(Report parsed) {
      if (closed) {
        return;
      }
      Report r = symbolize.apply(parsed);
      switch (format) {
        case text -> {
          if (count > 0) {
            out.println();
          }
          text.print(r, out);
        }
        case jsonl -> {
          json().write(r, out);
          out.println();
        }
        case json -> {
          // One report per line inside the array: valid JSON that streams and greps well.
          out.print(count > 0 ? ",\n" : "\n");
          json().write(r, out);
        }
      }
      count++;
      // A closed pipe (| head) makes further work pointless.
      if (out.checkError()) {
        closed = true;
      }
    }

    void end() {
      if (format == OutputFormat.json && !closed) {
        out.println(count > 0 ? "\n]" : "]");
      }
    }
  }
}
