package dev.ktriage.grammar.build;

import dev.ktriage.grammar.log.ConsoleLine;
import dev.ktriage.grammar.log.ConsolePrefix;
import dev.ktriage.grammar.scan.Island;
import dev.ktriage.grammar.title.TraceTape;
import dev.ktriage.model.Access;
import dev.ktriage.model.Banner;
import dev.ktriage.model.Corruption;
import dev.ktriage.model.Elision;
import dev.ktriage.model.Frame;
import dev.ktriage.model.KernelContext;
import dev.ktriage.model.LogTime;
import dev.ktriage.model.MemoryTags;
import dev.ktriage.model.Repair;
import dev.ktriage.model.Report;
import dev.ktriage.model.ReportDetails;
import dev.ktriage.model.SourceSpan;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Title;
import dev.ktriage.model.Tool;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * What the visitors of one island have found so far: the parts every report family shares (header,
 * access, stacks, context, elisions). Each family's visitor keeps its own details and hands them to
 * {@link #finish}.
 *
 * <p>Not thread-safe; one instance per island.
 */
public final class ReportDraft {

  private final Island island;
  private final String sourcePath;

  Banner banner;
  // What printed the report; the banner's tool unless the family's visitor knows better (the generic
  // BUG:/WARNING:/INFO: banners start reports of several facilities).
  Tool tool;
  // The lines of an oops report for its title (the sanitizer families title from the model).
  TraceTape tape = TraceTape.EMPTY;
  String header = "";
  String bugType = "";
  Optional<Access> access = Optional.empty();
  Optional<MemoryTags> tags = Optional.empty();
  final List<Stack> stacks = new ArrayList<>();
  final Set<Elision> elided = EnumSet.noneOf(Elision.class);
  final ArchHints arch = new ArchHints();
  // dump_stack_print_info()'s fields; the first CPU line is the report's (a second one belongs to a
  // following oops).
  OptionalInt cpu = OptionalInt.empty();
  OptionalInt pid = OptionalInt.empty();
  Optional<String> comm = Optional.empty();
  Optional<String> release = Optional.empty();
  Optional<String> build = Optional.empty();
  Optional<String> taint = Optional.empty();
  Optional<String> hardware = Optional.empty();

  ReportDraft(Island island, String sourcePath) {
    this.island = island;
    this.sourcePath = sourcePath;
  }

  /** The report before titling: everything but its title and verdict, which {@link ReportAssessor} decides. */
  public record Report0(Tool tool, Banner banner, String bugType, String header, Optional<Access> access,
      KernelContext context, LogTime time, List<Stack> stacks, ReportDetails details, List<Elision> elided,
      List<Repair> repairs, SourceSpan source, TraceTape tape) {

    /** The report with its title and verdict. */
    public Report withVerdict(Title title, Optional<Corruption> corruption, List<Elision> allElided,
        boolean complete) {
      return new Report(tool, banner, bugType, header, title, access, context, time, stacks, details,
          corruption, allElided, repairs, complete, source);
    }
  }

  Report0 finish(ReportDetails details) {
    List<Repair> repairs = new ArrayList<>();
    for (Island.Repair r : island.repairs()) {
      repairs.add(new Repair(Repair.Kind.MAIL_WRAP, r.rule().why(), r.logLine()));
    }
    return new Report0(tool != null ? tool : banner.tool(), banner, bugType, header, access, context(), time(),
        List.copyOf(stacks), details, List.copyOf(elided), repairs, span(), tape);
  }

  /** Adds a stack and lets its frames vote on the architecture. */
  void addStack(Stack s) {
    stacks.add(s);
    for (Frame f : s.frames()) {
      arch.frame(f.function());
    }
  }

  boolean hasStack(StackRole role) {
    return stacks.stream().anyMatch(s -> s.role() == role);
  }

  /** A collector whose frames know their log lines. */
  StackCollector collector() {
    return new StackCollector(this::logLine);
  }

  private KernelContext context() {
    Optional<String> callerId = island.lines().stream()
        .map(ConsoleLine::prefix)
        .map(ConsolePrefix::callerId)
        .flatMap(Optional::stream)
        .findFirst();
    return new KernelContext(cpu, pid, comm, release, build, taint, hardware, arch.guess(), callerId);
  }

  private LogTime time() {
    ConsolePrefix p = island.lines().get(0).prefix();
    for (ConsoleLine l : island.lines()) {
      if (l.prefix().uptime().isPresent() || l.prefix().wallClock().isPresent()) {
        p = l.prefix();
        break;
      }
    }
    return new LogTime(p.uptime(), p.wallClock());
  }

  private SourceSpan span() {
    List<ConsoleLine> lines = island.lines();
    long last = island.endNumber(lines.size() - 1);
    // Trailing blank lines are not part of the report.
    for (int i = lines.size() - 1; i > 0 && lines.get(i).body().isBlank(); i--) {
      last = island.endNumber(i - 1);
    }
    return new SourceSpan(sourcePath, lines.get(0).number(), last);
  }

  /** The log line of the island line a token is on. */
  long logLine(long tokenLine) {
    int i = (int) Math.min(Math.max(tokenLine - 1, 0), island.lines().size() - 1);
    return island.lines().get(i).number();
  }

  /** The text of a whole line rule, from its first token to the end of the line, as printed. */
  String lineText(ParserRuleContext ctx) {
    return lineTextFrom(ctx.getStart());
  }

  String lineTextFrom(Token start) {
    int i = Math.min(Math.max(start.getLine() - 1, 0), island.lines().size() - 1);
    String body = island.lines().get(i).body();
    int col = Math.min(start.getCharPositionInLine(), body.length());
    return body.substring(col).strip();
  }
}
