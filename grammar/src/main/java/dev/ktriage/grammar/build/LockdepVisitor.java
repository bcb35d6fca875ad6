package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepHeaderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.OopsHeaderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepIrqOrderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepStillHeldContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepTooLowContext;
import dev.ktriage.model.LockDependency;
import dev.ktriage.model.LockRef;
import dev.ktriage.model.LockdepDetails;
import dev.ktriage.model.LockdepKind;
import dev.ktriage.model.ReportDetails;
import dev.ktriage.model.SourceLocation;
import dev.ktriage.model.TaskRef;
import dev.ktriage.model.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.antlr.v4.runtime.Token;

/**
 * Builds a lockdep report (kernel/locking/lockdep.c) from its parse tree: the header says which
 * report, the sections give the task, its locks, the dependency chain and the held locks.
 *
 * <p>Not thread-safe; one instance per island.
 */
final class LockdepVisitor extends OopsVisitor {

  // The task-action line endings the lexer put in the action tokens.
  private static final List<String> ACTION_ENDS = List.of(" is trying to acquire lock:", " is trying to acquire:",
      " is trying to lock:", " is trying to release lock", " just changed the state of lock:", " takes:",
      " is freeing memory ", " is leaving the kernel with locks still held!");

  private LockdepKind kind = LockdepKind.CIRCULAR_DEPENDENCY;
  private Optional<String> headerTask = Optional.empty();
  private Optional<String> usage = Optional.empty();
  private Optional<String> limit = Optional.empty();

  LockdepVisitor(ReportDraft draft) {
    super(draft);
    draft.tool = Tool.LOCKDEP;
  }

  /** What a lockdep header says: the report's kind and its bug type. */
  private record Header(LockdepKind kind, String bugType) {}

  // The headers by the token they start with (one lexer token per lockdep report, kernel/locking/lockdep.c).
  private static final Map<Integer, Header> HEADERS = Map.ofEntries(
      Map.entry(KernelReportLexer.LOCKDEP_CIRCULAR,
          new Header(LockdepKind.CIRCULAR_DEPENDENCY, "possible circular locking dependency")),
      Map.entry(KernelReportLexer.LOCKDEP_RECURSIVE,
          new Header(LockdepKind.RECURSIVE_LOCKING, "possible recursive locking")),
      Map.entry(KernelReportLexer.LOCKDEP_IRQ_INVERSION,
          new Header(LockdepKind.IRQ_LOCK_INVERSION, "possible irq lock inversion dependency")),
      Map.entry(KernelReportLexer.LOCKDEP_IRQ_ORDER,
          new Header(LockdepKind.IRQ_LOCK_ORDER, "irq-safe to irq-unsafe lock order")),
      Map.entry(KernelReportLexer.LOCKDEP_INCONSISTENT,
          new Header(LockdepKind.INCONSISTENT_LOCK_STATE, "inconsistent lock state")),
      Map.entry(KernelReportLexer.LOCKDEP_RCU,
          new Header(LockdepKind.SUSPICIOUS_RCU_USAGE, "suspicious RCU usage")),
      Map.entry(KernelReportLexer.LOCKDEP_UNLOCK_BALANCE,
          new Header(LockdepKind.BAD_UNLOCK_BALANCE, "bad unlock balance")),
      Map.entry(KernelReportLexer.LOCKDEP_HELD_FREED,
          new Header(LockdepKind.HELD_LOCK_FREED, "held lock freed")),
      Map.entry(KernelReportLexer.LOCKDEP_STILL_HELD,
          new Header(LockdepKind.LOCKS_STILL_HELD, "still has locks held")),
      Map.entry(KernelReportLexer.LOCKDEP_NESTED,
          new Header(LockdepKind.NESTED_LOCK_NOT_TAKEN, "nested lock was not taken")),
      Map.entry(KernelReportLexer.LOCKDEP_USER_RETURN,
          new Header(LockdepKind.LOCK_HELD_RETURNING_TO_USER, "lock held when returning to user space")),
      Map.entry(KernelReportLexer.LOCKDEP_WAIT_CONTEXT,
          new Header(LockdepKind.INVALID_WAIT_CONTEXT, "invalid wait context")),
      Map.entry(KernelReportLexer.LOCKDEP_NON_STATIC,
          new Header(LockdepKind.NON_STATIC_KEY, "trying to register non-static key")),
      Map.entry(KernelReportLexer.LOCKDEP_TOO_LOW,
          new Header(LockdepKind.LIMIT_TOO_LOW, "lockdep table too small")));

  // Every lockdep header: the kind its token says. The headers that name more (the irq order, the task,
  // the table that ran out) have visit methods of their own, which visitChildren reaches.
  @Override
  public Void visitOopsHeader(OopsHeaderContext ctx) {
    LockdepHeaderContext h = ctx.lockdepHeader();
    if (h != null) {
      Header header = HEADERS.get(h.getStart().getType());
      draft.header = draft.lineText(h);
      kind = header.kind();
      draft.bugType = header.bugType();
    }
    return visitChildren(ctx);
  }

  // "SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected": the order is the usage.
  @Override
  public Void visitLockdepIrqOrder(LockdepIrqOrderContext h) {
    String t = h.LOCKDEP_IRQ_ORDER().getText();
    int colon = t.indexOf(": ");
    int end = t.indexOf(" lock order detected");
    if (colon > 0 && end > colon) {
      usage = Optional.of(t.substring(colon + 2, end));
    }
    return null;
  }

  // "WARNING: syz-executor.3/7311 still has locks held!": the task is in the header.
  @Override
  public Void visitLockdepStillHeld(LockdepStillHeldContext h) {
    String t = h.LOCKDEP_STILL_HELD().getText();
    int colon = t.indexOf(": ");
    int end = t.lastIndexOf(" still has locks held!");
    if (colon > 0 && end > colon) {
      headerTask = Optional.of(t.substring(colon + 2, end));
    }
    return null;
  }

  // "BUG: MAX_STACK_TRACE_ENTRIES too low!"
  @Override
  public Void visitLockdepTooLow(LockdepTooLowContext h) {
    String t = h.LOCKDEP_TOO_LOW().getText();
    int start = t.indexOf("MAX_");
    int end = t.indexOf(" too low!");
    if (start >= 0 && end > start) {
      limit = Optional.of(t.substring(start, end));
    }
    return null;
  }

  @Override
  ReportDetails details() {
    Optional<TaskRef> task = headerTask.or(() -> actions.stream().findFirst().map(this::actionTask))
        .map(Fields::task);
    Optional<LockRef> lock = locks.stream().filter(l -> l.place() == LockPlace.ACTION).findFirst()
        .map(PlacedLock::lock);
    List<LockDependency> chain = new ArrayList<>();
    for (PlacedLock l : locks) {
      if (l.decoded().shape() == dev.ktriage.grammar.frame.DecodedLock.Shape.CHAIN && l.lock().index().isPresent()) {
        chain.add(new LockDependency(l.lock().index().getAsInt(), l.lock()));
      }
    }
    Optional<String> usageLine = restOf(KernelReportLexer.INCONSISTENT_USAGE).map(s -> "{" + s);
    Optional<String> rcuLine = lineOf(KernelReportLexer.RCU_SUSPICIOUS_SITE);
    Optional<SourceLocation> rcuSite = rcuLine.flatMap(LockdepVisitor::site);
    Optional<String> rcuMessage = rcuLine.map(s -> s.substring(s.indexOf(' ') + 1).strip());
    return new LockdepDetails(kind, task, lock, locksIn(LockPlace.HOLDING), chain, locksIn(LockPlace.HELD_LIST),
        usage.or(() -> usageLine.map(LockdepVisitor::usageOf)), rcuSite, rcuMessage, limit);
  }

  // The task named by an action line: its text without the action.
  private String actionTask(Token action) {
    String t = draft.lineTextFrom(action);
    for (String end : ACTION_ENDS) {
      int i = t.indexOf(end);
      if (i > 0) {
        String task = t.substring(0, i);
        // "syz/1 [HC0[0]:SC1[1]:HE1:SE0]": the irq context after the task.
        int bracket = task.indexOf(" [");
        return bracket > 0 ? task.substring(0, bracket) : task;
      }
    }
    return t;
  }

  // "{HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage.": the transition.
  private static String usageOf(String line) {
    int end = line.indexOf(" usage");
    return end > 0 ? line.substring(0, end) : line;
  }

  // "net/tipc/bearer.c:68 suspicious ...": the source position.
  private static Optional<SourceLocation> site(String line) {
    int blank = line.indexOf(' ');
    String w = blank > 0 ? line.substring(0, blank) : line;
    int colon = w.lastIndexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    return Fields.integer(w.substring(colon + 1)).stream().mapToObj(n -> new SourceLocation(w.substring(0, colon), n))
        .findFirst();
  }
}
