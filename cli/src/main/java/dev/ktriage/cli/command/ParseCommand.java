package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.Ktriage;
import dev.ktriage.cli.fastpath.ParseArgs;
import dev.ktriage.cli.input.BinarySniffer;
import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.input.LogErrors;
import dev.ktriage.cli.input.LogSource;
import dev.ktriage.cli.input.LogStream;
import dev.ktriage.cli.option.OutputFormat;
import dev.ktriage.cli.option.OutputOptions;
import dev.ktriage.cli.option.VmlinuxOptions;
import dev.ktriage.cli.render.LogCounts;
import dev.ktriage.cli.render.ReportText;
import dev.ktriage.cli.symbolize.FrameSymbolizer;
import dev.ktriage.cli.symbolize.SymbolizerSession;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.grammar.parse.ParseStats;
import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.model.Report;
import dev.ktriage.model.Suppression;
import dev.ktriage.reportjson.ReportJsonWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ktriage parse}: every crash report in the given logs, as text or JSON. */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Find every crash report in kernel console logs (dmesg, serial consoles, syzkaller logs, "
          + "journald/syslog): sanitizers, oopses, WARNINGs, lockdep, hangs, stalls, panics; and print it "
          + "structured: title, bug type, the kind's fields, stacks.",
      "Logs may be gzip, xz or zstd compressed; '-' or no FILE reads stdin.",
      "With --vmlinux, every frame gets its file, line and inlined callees."
    })
public final class ParseCommand implements Callable<Integer> {

  @ParentCommand
  public Ktriage top;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Log files; '-' is stdin (the default).")
  public List<String> files = new ArrayList<>();

  @Mixin
  public OutputOptions output = new OutputOptions();

  @Option(names = "--check", description = "Exit with 1 when crash reports of any kind were found (0 when none, "
      + "or when every report is suppressed: its log says the fuzzing machine failed), for scripts and CI.")
  public boolean check;

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
    if (files.isEmpty()) {
      files = List.of(LogSource.STDIN);
    }
    Map<String, String> unusable = unusable();
    if (unusable.size() == files.size()) {
      // Nothing to read: said before a --vmlinux is opened (or indexed) for nothing.
      if (files.size() == 1) {
        throw new InputException(unusable.values().iterator().next());
      }
      unusable.values().forEach(m -> err.println("ktriage: " + m));
      err.println("ktriage: none of the " + files.size() + " files could be read");
      return ExitCodes.USAGE_OR_INPUT;
    }
    if (vmlinux.given()) {
      try (SymbolizerSession session = SymbolizerSession.open(vmlinux.image(), vmlinux, err)) {
        FrameSymbolizer frames = new FrameSymbolizer(session);
        int code = parse(unusable, out, err, r -> frames.symbolize(r));
        session.finish(err);
        return code;
      }
    }
    return parse(unusable, out, err, r -> r);
  }

  private int parse(Map<String, String> unusable, PrintWriter out, PrintWriter err,
      UnaryOperator<Report> symbolize) {
    Sink sink = new Sink(out, symbolize);
    KernelLogParser parser = new KernelLogParser();
    ParseStats stats = new ParseStats();
    int failed = 0;
    int noCrash = 0;
    int unparsedLogs = 0;
    int shownUnparsed = 0;
    int read = 0;
    sink.begin();
    for (String name : files) {
      if (sink.closed) {
        break;
      }
      // One file that cannot be read does not stop the others: said where it comes, counted at the end.
      String problem = unusable.get(name);
      long cutBefore = stats.cutLines();
      long reportsBefore = stats.reports();
      long suppressedBefore = stats.suppressed();
      long unparsedBefore = stats.unparsed();
      BinarySniffer sniffer = null;
      LogSource source = new LogSource(name);
      if (problem == null) {
        try (LogStream in = source.open(top.stdin())) {
          sniffer = new BinarySniffer(in);
          parser.parse(sniffer, name, sink::accept, stats);
          in.damage().ifPresent(d -> err.println("ktriage: " + name + ": " + d + "; the reports before that were read"));
        } catch (InputException e) {
          problem = e.getMessage();
        } catch (IOException e) {
          problem = name + ": " + LogErrors.describe(e);
        } catch (RuntimeException e) {
          if (!sink.closed) {
            throw e;
          }
          // the Sink stopped the parse: stdout has gone (| head), the rest is not read
        }
        if (sink.closed) {
          break;
        }
      }
      if (problem != null) {
        out.flush();
        err.println("ktriage: " + problem);
        failed++;
        continue;
      }
      if (sniffer.looksBinary() && stats.reports() == reportsBefore) {
        err.println("ktriage: " + name + ": binary data, not a text log; no reports in it");
      }
      long suppressed = stats.suppressed() - suppressedBefore;
      if (suppressed > 0) {
        // The log says the fuzzing machine failed (syzkaller's suppression list): no kernel bug to act on.
        Suppression why = sink.lastSuppression;
        err.println("ktriage: " + name + ": " + (suppressed == 1 ? "1 report" : suppressed + " reports")
            + " suppressed: line " + why.logLine() + ": " + why.reason()
            + (check ? "; --check does not count " + (suppressed == 1 ? "it" : "them") : ""));
      }
      read++;
      long unparsed = stats.unparsed() - unparsedBefore;
      if (unparsed > 0) {
        unparsedLogs++;
        // Named, so that the user can look: a banner the kernel prints, in a shape no grammar rule reads.
        List<ParseStats.Unparsed> named = stats.unparsedBlocks();
        named.subList(shownUnparsed, named.size()).forEach(u -> err.println("ktriage: " + u.path() + ":" + u.line()
            + ": looks like a crash report but could not be parsed: " + u.text()));
        shownUnparsed = named.size();
      } else if (stats.reports() == reportsBefore) {
        noCrash++;
      }
      long cut = stats.cutLines() - cutBefore;
      if (cut > 0) {
        err.println("ktriage: " + name + ": " + cut + (cut == 1 ? " line was" : " lines were")
            + " longer than 16 KiB and cut");
      }
    }
    sink.end();
    out.flush();
    if (stats.reports() == 0 && output.text() && failed == 0 && unparsedLogs == 0) {
      err.println("ktriage: no crash reports found");
    }
    String summary = LogCounts.noCrash(noCrash, unparsedLogs, read);
    if (!summary.isEmpty() && (files.size() > 1 || unparsedLogs > 0)) {
      err.println("ktriage: " + summary);
    }
    if (failed > 0) {
      if (files.size() > 1) {
        err.println("ktriage: " + failed + " of " + files.size() + " files could not be read");
      }
      return ExitCodes.USAGE_OR_INPUT;
    }
    return check && stats.reports() > stats.suppressed() ? ExitCodes.REPORTS_FOUND : ExitCodes.OK;
  }

  // The named files that cannot be read, with the line that says why.
  private Map<String, String> unusable() {
    Map<String, String> out = new HashMap<>();
    for (String f : files) {
      if (!f.equals(LogSource.STDIN)) {
        Path p = Path.of(f);
        if (Files.isDirectory(p)) {
          out.put(f, f + ": is a directory (parse takes log files; ingest takes directories)");
        } else if (!Files.exists(p)) {
          out.put(f, f + ": no such file");
        } else if (!Files.isReadable(p)) {
          out.put(f, f + ": permission denied");
        }
      }
    }
    return out;
  }

  /** Thrown by the {@link Sink} inside a parse to stop it once stdout is closed. */
  private static final class OutputGone extends RuntimeException {
    OutputGone() {
      super("stdout closed", null, false, false);
    }
  }

  /** Prints reports as they come, in the chosen format; stops the parse quietly when stdout is closed. */
  private final class Sink {
    private final PrintWriter out;
    private final UnaryOperator<Report> symbolize;
    private final ReportText text = new ReportText(output.ansi());
    private int count;
    private boolean closed;
    // The suppression of the last suppressed report, for the line on stderr.
    private Suppression lastSuppression;

    Sink(PrintWriter out, UnaryOperator<Report> symbolize) {
      this.out = out;
      this.symbolize = symbolize;
    }

    void begin() {
      if (output.format() == OutputFormat.json) {
        out.print("[");
      }
    }

    void accept(Report parsed) {
      parsed.suppression().ifPresent(why -> lastSuppression = why);
      if (closed) {
        return;
      }
      Report r = symbolize.apply(parsed);
      switch (output.format()) {
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
      // A closed pipe (| head) makes further work pointless: the parse is stopped, not run to the end.
      if (out.checkError()) {
        closed = true;
        throw new OutputGone();
      }
    }

    void end() {
      if (output.format() == OutputFormat.json && !closed) {
        out.println(count > 0 ? "\n]" : "]");
      }
    }
  }
}
