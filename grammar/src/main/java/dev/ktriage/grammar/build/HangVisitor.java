package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.KernelReportParser.HangWordContext;
import dev.ktriage.grammar.antlr.KernelReportParser.HungTaskExactContext;
import dev.ktriage.grammar.antlr.KernelReportParser.HungTaskLooseContext;
import dev.ktriage.model.HangKind;
import dev.ktriage.model.HungTaskDetails;
import dev.ktriage.model.LockRef;
import dev.ktriage.model.ReportDetails;
import dev.ktriage.model.TaskRef;
import dev.ktriage.model.Tool;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Builds a hung-task report (kernel/hung_task.c check_hung_task()) from its parse tree: the task, the
 * timeout, its state (sched_show_task()) and the locks it holds ({@code Showing all locks held in the
 * system:}). Where it blocks is decided with its title (the hang anchor).
 *
 * <p>Not thread-safe; one instance per island.
 */
final class HangVisitor extends OopsVisitor {

  private HangKind kind = HangKind.BLOCKED;
  private TaskRef task = new TaskRef("", OptionalInt.empty());
  private OptionalLong seconds = OptionalLong.empty();

  HangVisitor(ReportDraft draft) {
    super(draft);
    draft.tool = Tool.HUNG_TASK;
  }

  // "INFO: task syz-executor.2:9120 blocked for more than 143 seconds.": comm:pid, which may hold blanks.
  @Override
  public Void visitHungTaskExact(HungTaskExactContext h) {
    draft.header = draft.lineText(h);
    kind = switch (h.kind.getType()) {
      case KernelReportLexer.BLOCKED_IO_FOR -> HangKind.BLOCKED_IN_IO_WAIT;
      case KernelReportLexer.CANT_DIE_FOR -> HangKind.CANT_DIE;
      default -> HangKind.BLOCKED;
    };
    draft.bugType = kind == HangKind.CANT_DIE ? "task can't die" : "task hung";
    String comm = String.join(" ", h.task.stream().map(HangWordContext::getText).toList());
    int colon = comm.lastIndexOf(':');
    OptionalInt pid = colon > 0 ? Fields.integer(comm.substring(colon + 1)) : OptionalInt.empty();
    task = pid.isPresent() ? new TaskRef(comm.substring(0, colon), pid) : new TaskRef(comm, OptionalInt.empty());
    seconds = Fields.decimal(h.secs);
    return null;
  }

  @Override
  public Void visitHungTaskLoose(HungTaskLooseContext h) {
    draft.header = draft.lineText(h);
    draft.bugType = draft.header.contains("can't die") ? "task can't die" : "task hung";
    kind = draft.header.contains("can't die") ? HangKind.CANT_DIE : HangKind.BLOCKED;
    return null;
  }

  @Override
  ReportDetails details() {
    // "task:syz-executor.2  state:D stack:26768 pid:9120 ..." (5.x+), else the old
    // "comm  D18944    22      2 0x80000000".
    Optional<String> state = restOf(KernelReportLexer.TASK_STATE).flatMap(HangVisitor::stateField);
    // The hung task's own entry of "Showing all locks held in the system:".
    String owner = task.comm() + (task.pid().isPresent() ? "/" + task.pid().getAsInt() : "");
    List<LockRef> held = locks.stream()
        .filter(l -> l.place() == LockPlace.HELD_LIST && !owner.isEmpty() && l.listOwner().endsWith(" " + owner + ":"))
        .map(PlacedLock::lock).toList();
    return new HungTaskDetails(kind, task, seconds, state, Optional.empty(), held);
  }

  private static Optional<String> stateField(String rest) {
    int i = rest.indexOf("state:");
    if (i < 0) {
      return Optional.empty();
    }
    int end = rest.indexOf(' ', i);
    String s = rest.substring(i + "state:".length(), end < 0 ? rest.length() : end);
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
