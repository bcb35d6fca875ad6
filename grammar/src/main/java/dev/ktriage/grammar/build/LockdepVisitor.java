package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepCircularContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepHeaderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepHeldFreedContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepInconsistentContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepIrqInversionContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepIrqOrderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepNestedContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepNonStaticContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepRcuContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepRecursiveContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepStillHeldContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepTooLowContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepUnlockBalanceContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepUserReturnContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockdepWaitContextContext;
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

  private void header(LockdepHeaderContext h, LockdepKind k, String bugType) {
    draft.header = draft.lineText(h);
    kind = k;
    draft.bugType = bugType;
  }

  @Override
  public Void visitLockdepCircular(LockdepCircularContext h) {
    header(h, LockdepKind.CIRCULAR_DEPENDENCY, "possible circular locking dependency");
    return null;
  }

  @Override
  public Void visitLockdepRecursive(LockdepRecursiveContext h) {
    header(h, LockdepKind.RECURSIVE_LOCKING, "possible recursive locking");
    return null;
  }

  @Override
  public Void visitLockdepIrqInversion(LockdepIrqInversionContext h) {
    header(h, LockdepKind.IRQ_LOCK_INVERSION, "possible irq lock inversion dependency");
    return null;
  }

  // "SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected": the order is the usage.
  @Override
  public Void visitLockdepIrqOrder(LockdepIrqOrderContext h) {
    header(h, LockdepKind.IRQ_LOCK_ORDER, "irq-safe to irq-unsafe lock order");
    String t = h.LOCKDEP_IRQ_ORDER().getText();
    int colon = t.indexOf(": ");
    int end = t.indexOf(" lock order detected");
    if (colon > 0 && end > colon) {
      usage = Optional.of(t.substring(colon + 2, end));
    }
    return null;
  }

  @Override
  public Void visitLockdepInconsistent(LockdepInconsistentContext h) {
    header(h, LockdepKind.INCONSISTENT_LOCK_STATE, "inconsistent lock state");
    return null;
  }

  @Override
  public Void visitLockdepRcu(LockdepRcuContext h) {
    header(h, LockdepKind.SUSPICIOUS_RCU_USAGE, "suspicious RCU usage");
    return null;
  }

  @Override
  public Void visitLockdepUnlockBalance(LockdepUnlockBalanceContext h) {
    header(h, LockdepKind.BAD_UNLOCK_BALANCE, "bad unlock balance");
    return null;
  }

  @Override
  public Void visitLockdepHeldFreed(LockdepHeldFreedContext h) {
    header(h, LockdepKind.HELD_LOCK_FREED, "held lock freed");
    return null;
  }

  // "WARNING: syz-executor.3/7311 still has locks held!": the task is in the header.
  @Override
  public Void visitLockdepStillHeld(LockdepStillHeldContext h) {
    header(h, LockdepKind.LOCKS_STILL_HELD, "still has locks held");
    String t = h.LOCKDEP_STILL_HELD().getText();
    int colon = t.indexOf(": ");
    int end = t.lastIndexOf(" still has locks held!");
    if (colon > 0 && end > colon) {
      headerTask = Optional.of(t.substring(colon + 2, end));
    }
    return null;
  }

  @Override
  public Void visitLockdepNested(LockdepNestedContext h) {
    header(h, LockdepKind.NESTED_LOCK_NOT_TAKEN, "nested lock was not taken");
    return null;
  }

  @Override
  public Void visitLockdepUserReturn(LockdepUserReturnContext h) {
    header(h, LockdepKind.LOCK_HELD_RETURNING_TO_USER, "lock held when returning to user space");
    return null;
  }

  @Override
  public Void visitLockdepWaitContext(LockdepWaitContextContext h) {
    header(h, LockdepKind.INVALID_WAIT_CONTEXT, "invalid wait context");
    return null;
  }

  @Override
  public Void visitLockdepNonStatic(LockdepNonStaticContext h) {
    header(h, LockdepKind.NON_STATIC_KEY, "trying to register non-static key");
    return null;
  }

  // "BUG: MAX_STACK_TRACE_ENTRIES too low!"
  @Override
  public Void visitLockdepTooLow(LockdepTooLowContext h) {
    header(h, LockdepKind.LIMIT_TOO_LOW, "lockdep table too small");
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
