package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.Ktriage;
import dev.ktriage.cli.fastpath.Addr2lineArgs;
import dev.ktriage.cli.fastpath.AnswerBytes;
import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.option.VmlinuxOptions;
import dev.ktriage.cli.render.SourceText;
import dev.ktriage.cli.symbolize.Addr2lineInput;
import dev.ktriage.cli.symbolize.SymbolizerSession;
import dev.ktriage.symbolizer.Candidate;
import dev.ktriage.symbolizer.FrameQuery;
import dev.ktriage.symbolizer.Resolution;
import dev.ktriage.symbolizer.SourceFrame;
import dev.ktriage.symbolizer.Symbolizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ktriage addr2line}: addr2line's output for addresses and kernel frames. */
@Command(
    name = "addr2line",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Look up kernel addresses or frames (ADDR, func+0xoff/0xsize, func+0xoff/0xsize [module], or a frame line "
          + "pasted from a log) and print what 'addr2line -f -i' prints: the function, then file:line, inlined "
          + "callees first.",
      "Inputs come from the arguments, else one per line from stdin. A bare address is looked up as it is, as "
          + "addr2line does; a frame (func+off, or a pasted call-trace line) is a return address, so the call "
          + "before it is looked up, unless --exact is given or the line is a RIP:/pc : line."
    })
public final class Addr2lineCommand implements Callable<Integer> {

  // stdin is answered in batches (one resolveAll each, DWARF decoded in parallel), and at once
  // whenever the input pauses, so that an interactive or co-process user is not kept waiting.
  // Batches for piped bulk input are large enough to be split over the cores (MIN_PART) and to sort
  // many addresses together (against 4,096: less CPU), and small enough that a batch's inputs and
  // answers, all live until it is printed, fit the young generation: at 65,536 they were promoted
  // into fresh old-generation pages, and zeroing fresh pages was a quarter of a warm run's CPU
  // (bench/symbolizer/RESULTS.md, session 6).
  private static final int BATCH = 16384;

  @Spec
  CommandSpec spec;

  @ParentCommand
  public Ktriage top;

  @Mixin
  public VmlinuxOptions vmlinux;

  @Option(names = {"-e", "--exe"}, paramLabel = "FILE", order = 1, description = "Same as --vmlinux (addr2line's spelling).")
  public Path exe;

  @Option(names = {"-f", "--functions"}, order = 2, description = "Print the function name before each location.")
  public boolean functions;

  @Option(names = {"-i", "--inlines"}, order = 3, description = "Print inlined callees too, innermost first, then the real function.")
  public boolean inlines;

  @Option(names = {"-a", "--addresses"}, order = 4, description = "Print the address (0x%%016x) before each answer.")
  public boolean addresses;

  @Option(names = "--exact", order = 5,
      description = "Look up frames at their own address (a faulting pc, as faddr2line does), not the call before it.")
  public boolean exact;

  // Batches of at least twice this many inputs are split over the cores (see answer): below, a
  // thread costs more than it saves.
  private static final int MIN_PART = 4096;
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  // Per part of a batch, its printer (see answer).
  private final List<Printer> printers = new ArrayList<>();

  @Parameters(paramLabel = "ADDR|FUNC+OFF[/SIZE]", arity = "0..*",
      description = "Hex addresses (link-time, e.g. ffffffff81234567) or frames; none: read stdin.")
  public List<String> inputs = new ArrayList<>();

  @Override
  public Integer call() throws InputException, IOException {
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Runs the command with its options set (by picocli, or by {@link Addr2lineArgs}). */
  public int run(PrintWriter out, PrintWriter err) throws InputException, IOException {
    if (exe != null && vmlinux.vmlinux == null) {
      vmlinux.vmlinux = exe;
    }
    Path image = vmlinux.requireVmlinux("addr2line");
    List<Addr2lineInput> given = new ArrayList<>();
    for (String a : Addr2lineInput.joinModules(inputs)) {
      // Arguments are checked before anything is printed: a typo is a usage error.
      given.add(Addr2lineInput.parse(a, exact).orElseThrow(() -> new InputException(
          "addr2line: cannot read '" + a + "': give a hex address or func+0xoff[/0xsize] [module]")));
    }
    if (!inputs.isEmpty()) {
      try (SymbolizerSession session = SymbolizerSession.open(image, vmlinux, err)) {
        // Answers go to stdout as bytes (AnswerBytes); nothing is pending in the writer, but keep order.
        out.flush();
        AnswerBytes answers = new AnswerBytes(top.stdoutBytes());
        answer(null, given.toArray(Addr2lineInput[]::new), session, answers);
        answers.flush();
        session.indexAfterwards();
      session.notices().finish(err);
      }
    } else {
      readStdin(image, out, err);
    }
    return ExitCodes.OK;
  }

  /**
   * Answers stdin, batch by batch. When input is already waiting (a pipe or a file), the vmlinux and
   * its index are opened on a helper thread while this one reads the first batch; otherwise (a
   * terminal, an empty pipe) they are opened first, so that a bad --vmlinux is said at once.
   */
  private void readStdin(Path image, PrintWriter out, PrintWriter err) throws InputException, IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(top.stdin(), StandardCharsets.UTF_8), 1 << 16);
    Opening opening = in.ready() ? new Opening(image, vmlinux, err) : null;
    SymbolizerSession session = opening == null ? SymbolizerSession.open(image, vmlinux, err) : null;
    try {
      AnswerBytes answers = new AnswerBytes(top.stdoutBytes());
      // The lines of a batch are parsed by the threads that answer them (see answer).
      List<String> batch = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        batch.add(line);
        if (batch.size() >= BATCH || !in.ready()) {
          if (session == null) {
            session = opening.session();
            out.flush();
          }
          answer(batch, new Addr2lineInput[batch.size()], session, answers);
          batch.clear();
          answers.flush();
          session.notices().flush(err);
          if (answers.failed()) {
            break; // the reader has gone
          }
        }
      }
      if (session == null) {
        session = opening.session();
        out.flush();
      }
      if (!answers.failed()) {
        answer(batch, new Addr2lineInput[batch.size()], session, answers);
        answers.flush();
      }
      session.indexAfterwards();
      session.notices().finish(err);
    } finally {
      if (session == null) {
        session = opening.sessionIfOpened();
      }
      if (session != null) {
        session.close();
      }
    }
  }

  /** {@link SymbolizerSession#open} on a helper thread. */
  private static final class Opening {
    private final Thread thread;
    private SymbolizerSession session;
    private Exception failure;
    private Error error;

    Opening(Path image, VmlinuxOptions options, PrintWriter err) {
      thread = Thread.ofPlatform().daemon().name("addr2line-open").start(() -> {
        try {
          session = SymbolizerSession.open(image, options, err);
        } catch (Exception e) {
          failure = e;
        } catch (Error e) {
          error = e;
        }
      });
    }

    /** The opened session, or what opening it threw. */
    SymbolizerSession session() throws InputException {
      joinAll(new Thread[] {thread});
      if (error != null) {
        throw error;
      } else if (failure instanceof InputException e) {
        throw e;
      } else if (failure instanceof RuntimeException e) {
        throw e;
      } else if (failure != null) {
        throw new IllegalStateException(failure); // open throws no other checked exception
      }
      return session;
    }

    /** The session once the thread is done, null if opening failed (for closing it on an error path). */
    SymbolizerSession sessionIfOpened() {
      joinAll(new Thread[] {thread});
      return session;
    }
  }

  /**
   * Answers a batch: parses the lines not parsed yet, resolves them and writes the answers in input
   * order, then notes what did not resolve or could not be read. A large batch is split into
   * consecutive parts, one per core: each part is parsed, resolved and its answers written on its
   * own thread (the first on this one, straight to stdout; the others into memory, copied out in
   * order after it), so the output is the same bytes in the same order as on one thread. The
   * notices are taken in input order on this thread afterwards.
   *
   * @param lines the batch's lines from stdin, or null when {@code batch} is parsed already
   * @param batch the parsed inputs (filled in here from {@code lines}); null for an unreadable line
   */
  private void answer(List<String> lines, Addr2lineInput[] batch, SymbolizerSession session, AnswerBytes out) {
    int n = batch.length;
    Resolution[] results = new Resolution[n];
    Printer first = printer(0, out, session.text());
    int parts = Math.max(1, Math.min(CORES, n / MIN_PART));
    if (parts == 1) {
      first.parseResolveAndPrint(lines, batch, 0, n, session.symbolizer(), results);
    } else {
      Thread[] helpers = new Thread[parts];
      Throwable[] failures = new Throwable[parts];
      try {
        for (int p = 1; p < parts; p++) {
          int from = (int) ((long) n * p / parts);
          int to = (int) ((long) n * (p + 1) / parts);
          Printer printer = printer(p, null, session.text());
          int part = p;
          helpers[p] = Thread.ofPlatform().daemon().name("addr2line-".concat(Integer.toString(p))).start(() -> {
            try {
              printer.parseResolveAndPrint(lines, batch, from, to, session.symbolizer(), results);
            } catch (Throwable t) {
              failures[part] = t;
            }
          });
        }
        first.parseResolveAndPrint(lines, batch, 0, n / parts, session.symbolizer(), results);
      } finally {
        joinAll(helpers);
      }
      for (int p = 1; p < parts; p++) {
        if (failures[p] instanceof RuntimeException e) {
          throw e;
        } else if (failures[p] instanceof Error e) {
          throw e;
        }
        printers.get(p).bytes.moveTo(out);
      }
    }
    for (int i = 0; i < n; i++) {
      note(batch[i], results[i], session);
    }
    if (lines != null) {
      for (int i = 0; i < n; i++) {
        if (batch[i] == null) {
          String u = lines.get(i);
          session.notices().warnLimited("unreadable inputs", "input:".concat(u),
              "addr2line: cannot read '".concat(u.strip()).concat("'; printed ??"));
        }
      }
    }
  }

  private static void joinAll(Thread[] threads) {
    boolean interrupted = false;
    for (Thread t : threads) {
      while (t != null) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // The printer of part p (kept from batch to batch: their encoded-string caches stay warm).
  private Printer printer(int p, AnswerBytes out, SourceText text) {
    while (printers.size() <= p) {
      printers.add(null);
    }
    Printer printer = printers.get(p);
    if (printer == null || (out != null && printer.bytes != out)) {
      printer = new Printer(out != null ? out : new AnswerBytes(), text);
      printers.set(p, printer);
    }
    return printer;
  }

  // Counts what did not resolve and warns about it, in input order (the session is not thread-safe).
  // Strings by concat and StringBuilder, not +: the first indy string concatenation of a run
  // bootstraps method handles (docs/performance.md#the-launcher).
  private static void note(Addr2lineInput in, Resolution r, SymbolizerSession session) {
    if (in == null || in.isAddress()) {
      return;
    }
    session.note(r, in.query().module(), in.text().strip());
    if (r.candidates().isEmpty()) {
      if (r.status() != Resolution.Status.UNKNOWN_MODULE) {
        session.notices().warnLimited("unresolved inputs", "input:".concat(in.text()), new StringBuilder("addr2line: ")
            .append(in.text().strip()).append(": ")
            .append(r.detail().orElse(r.status().name().toLowerCase(Locale.ROOT))).append("; printed ??").toString());
      }
    } else if (r.status() == Resolution.Status.AMBIGUOUS) {
      session.notices().warnLimited("ambiguous inputs", "input:".concat(in.text()), new StringBuilder("addr2line: ")
          .append(in.text().strip()).append(": ").append(r.detail().orElse("ambiguous"))
          .append(r.located() ? "; all ".concat(Integer.toString(r.candidates().size())).concat(" printed")
              : "; printed ??:0").toString());
    }
  }

  /** Resolves and prints one part of a batch; one thread's (not thread-safe). */
  private final class Printer {
    private final AnswerBytes bytes;
    private final SourceText text;
    // Printed paths by the symbolizer's path (see printedPath).
    private final Map<String, String> printedPaths = new HashMap<>();

    Printer(AnswerBytes bytes, SourceText text) {
      this.bytes = bytes;
      this.text = text;
    }

    /**
     * Parses lines {@code from..to-1} of the batch (when {@code lines} is given), resolves them into
     * {@code results} and prints their answers.
     */
    void parseResolveAndPrint(List<String> lines, Addr2lineInput[] batch, int from, int to, Symbolizer s,
        Resolution[] results) {
      if (lines != null) {
        for (int i = from; i < to; i++) {
          // An unreadable line stays null: it still gets an answer, so that answers stay in step.
          batch[i] = Addr2lineInput.parse(lines.get(i), exact).orElse(null);
        }
      }
      List<FrameQuery> queries = new ArrayList<>();
      for (int i = from; i < to; i++) {
        Addr2lineInput in = batch[i];
        if (in != null && !in.isAddress()) {
          queries.add(in.query());
        }
      }
      List<Resolution> resolved = queries.isEmpty() ? List.of() : s.resolveAll(queries);
      int next = 0;
      for (int i = from; i < to; i++) {
        Addr2lineInput in = batch[i];
        if (in == null) {
          unknown(0);
        } else if (in.isAddress()) {
          // A raw address is a link-time address here: addr2line knows nothing of KASLR either.
          Resolution r = s.resolveAddress(in.address(), 0, !in.exact());
          results[i] = r;
          if (r.candidates().isEmpty()) {
            unknown(in.address());
          } else {
            candidate(r, r.candidates().get(0), in.address(), "");
          }
        } else {
          Resolution r = resolved.get(next++);
          results[i] = r;
          if (r.candidates().isEmpty()) {
            unknown(0);
          } else if (!r.located()) {
            // Too many same-name copies to locate (SymbolizerOptions.maxLocated): one answer, the
            // symbol and ??:0, under the first copy's address; the notice says why.
            candidate(r, r.candidates().get(0), r.candidates().get(0).address(), " # AMBIGUOUS");
          } else {
            boolean ambiguous = r.candidates().size() > 1;
            for (int k = 0; k < r.candidates().size(); k++) {
              Candidate c = r.candidates().get(k);
              // Marks that keep a reader of -a output in step: one question, several answers.
              String mark = !ambiguous ? "" : k == 0 ? " # AMBIGUOUS" : " # AMBIGUOUS+";
              candidate(r, c, c.address(), mark);
            }
          }
        }
      }
    }

    private void candidate(Resolution r, Candidate c, long address, String mark) {
      AnswerBytes out = bytes;
      if (addresses) {
        out.address(address).text(mark).newline();
      }
      List<SourceFrame> frames = c.frames();
      // Without DWARF, the symbol and offset are all there is to say.
      boolean symbolOnly = !r.located() || r.status() == Resolution.Status.NO_DEBUG_INFO
          || r.status() == Resolution.Status.DEBUG_INFO_ERROR;
      int n = inlines ? frames.size() : 1;
      for (int k = 0; k < n; k++) {
        SourceFrame f = frames.get(k);
        if (functions) {
          String name = symbolOnly ? SourceText.symbolOffset(c) : f.function().isEmpty() ? "??" : f.function();
          out.text(name).newline();
        }
        // As SourceText.location, without building the string: path, ':', line (0 when unknown).
        if (f.file().isPresent()) {
          out.text(printedPath(f.file().get())).ascii(':').decimal(f.line().orElse(0)).newline();
        } else {
          out.text("??:0").newline();
        }
      }
    }

    // SourceText.path per distinct file, not per frame (it searches the path for the tree's start).
    private String printedPath(String file) {
      if (!text.treeRelative()) {
        return file; // SourceText.path prints it as it is
      }
      String p = printedPaths.get(file);
      if (p == null) {
        p = text.path(file);
        printedPaths.put(file, p);
      }
      return p;
    }

    private void unknown(long address) {
      if (addresses) {
        bytes.address(address).newline();
      }
      if (functions) {
        bytes.text("??").newline();
      }
      bytes.text("??:0").newline();
    }
  }
}
