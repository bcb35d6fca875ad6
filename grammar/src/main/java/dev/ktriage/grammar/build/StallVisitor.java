package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.KernelReportParser.RcuStallExactContext;
import dev.ktriage.grammar.antlr.KernelReportParser.RcuStallLooseContext;
import dev.ktriage.grammar.antlr.KernelReportParser.SoftLockupExactContext;
import dev.ktriage.grammar.antlr.KernelReportParser.SoftLockupLooseContext;
import dev.ktriage.model.Frame;
import dev.ktriage.model.ReportDetails;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.StallDetails;
import dev.ktriage.model.StallKind;
import dev.ktriage.model.TaskRef;
import dev.ktriage.model.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.antlr.v4.runtime.Token;

/**
 * Builds a CPU stall report from its parse tree: RCU's stall detector (kernel/rcu/tree_stall.h
 * print_cpu_stall(), print_other_cpu_stall(), the expedited and tasks-RCU variants) and the
 * soft-lockup watchdog (kernel/watchdog.c). The report's own stack is the one the timer interrupt
 * (or the NMI backtrace) printed for the stalled cpu; the grace-period kthread's dump and the other
 * cpus' backtraces are context.
 *
 * <p>Not thread-safe; one instance per island.
 */
final class StallVisitor extends OopsVisitor {

  private StallKind kind = StallKind.RCU_DETECTED;
  private Optional<String> flavour = Optional.empty();
  private final List<Integer> cpus = new ArrayList<>();
  private OptionalLong duration = OptionalLong.empty();
  private Optional<TaskRef> task = Optional.empty();

  StallVisitor(ReportDraft draft) {
    super(draft);
    draft.tool = Tool.RCU_STALL;
  }

  @Override
  public Void visitRcuStallExact(RcuStallExactContext h) {
    draft.header = draft.lineText(h);
    flavour = Optional.of(h.RCU_STALL().getText().substring("INFO: ".length()));
    kind = switch (h.kind.getType()) {
      case KernelReportLexer.SELF_DETECTED -> StallKind.RCU_SELF_DETECTED;
      case KernelReportLexer.DETECTED_EXPEDITED -> StallKind.RCU_EXPEDITED;
      case KernelReportLexer.DETECTED_TASKS -> StallKind.RCU_TASKS;
      default -> flavour.get().equals("rcu_tasks") ? StallKind.RCU_TASKS : StallKind.RCU_DETECTED;
    };
    draft.bugType = "rcu detected stall";
    // "{ 1-... }" of the expedited form, and the old one-line "{ 1} (detected by 0, t=...)".
    cpusIn(draft.header.substring(draft.header.indexOf(h.kind.getText()) + h.kind.getText().length()));
    return null;
  }

  @Override
  public Void visitRcuStallLoose(RcuStallLooseContext h) {
    draft.header = draft.lineText(h);
    flavour = Optional.of(h.RCU_STALL().getText().substring("INFO: ".length()));
    kind = draft.header.contains("self-detected") ? StallKind.RCU_SELF_DETECTED : StallKind.RCU_DETECTED;
    draft.bugType = "rcu detected stall";
    return null;
  }

  // "BUG: soft lockup - CPU#1 stuck for 143s! [syz-executor.3:18813]"
  @Override
  public Void visitSoftLockupExact(SoftLockupExactContext h) {
    draft.header = draft.lineText(h);
    draft.tool = Tool.SOFT_LOCKUP;
    kind = StallKind.SOFT_LOCKUP;
    draft.bugType = "soft lockup";
    Fields.integer(h.cpu).ifPresent(cpus::add);
    String secs = h.secs.getText();
    duration = Fields.decimal(secs.replace("s!", ""));
    String t = draft.lineTextFrom(h.task.get(0).getStart()).strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      String inner = t.substring(1, t.length() - 1);
      int colon = inner.lastIndexOf(':');
      OptionalInt pid = colon > 0 ? Fields.integer(inner.substring(colon + 1)) : OptionalInt.empty();
      task = Optional.of(pid.isPresent() ? new TaskRef(inner.substring(0, colon), pid) : new TaskRef(inner, pid));
    }
    return null;
  }

  @Override
  public Void visitSoftLockupLoose(SoftLockupLooseContext h) {
    draft.header = draft.lineText(h);
    draft.tool = Tool.SOFT_LOCKUP;
    kind = StallKind.SOFT_LOCKUP;
    draft.bugType = "soft lockup";
    return null;
  }

  // The cpu numbers of "{ 1-... 3-.... }" and "{ 1}".
  private void cpusIn(String rest) {
    int open = rest.indexOf('{');
    int close = rest.indexOf('}', open + 1);
    if (open < 0 || close < 0) {
      return;
    }
    for (String w : rest.substring(open + 1, close).strip().split("\\s+")) {
      int dash = w.indexOf('-');
      Fields.integer(dash > 0 ? w.substring(0, dash) : w).ifPresent(cpus::add);
    }
  }

  @Override
  protected void finishStacks() {
    // The stalled cpu's own stack is the one with the timer interrupt (or the NMI backtrace) in it,
    // not necessarily the first: arm64 dumps the grace-period kthread first.
    int own = -1;
    for (int i = 0; i < draft.stacks.size(); i++) {
      Stack s = draft.stacks.get(i);
      if (s.frames().stream().map(Frame::function).anyMatch(StallVisitor::interruptEntry)) {
        own = i;
        break;
      }
    }
    if (own < 0) {
      return;
    }
    List<Stack> out = new ArrayList<>();
    for (int i = 0; i < draft.stacks.size(); i++) {
      Stack s = draft.stacks.get(i);
      StackRole role = i == own ? StackRole.ACCESS : s.role() == StackRole.ACCESS ? StackRole.OTHER : s.role();
      out.add(new Stack(role, s.label(), s.origin(), s.frames(), s.unavailable()));
    }
    draft.stacks.clear();
    draft.stacks.addAll(out);
  }

  private static boolean interruptEntry(String f) {
    return f.contains("apic_timer_interrupt") || f.contains("el1h_64_irq") || f.equals("nmi_cpu_backtrace")
        || f.startsWith("nmi_cpu_backtrace.");
  }

  @Override
  ReportDetails details() {
    // "1-....: (10499 ticks this GP)" lines name the stalled cpus (self-detected: the reporter).
    for (Token t : lines) {
      if (t.getType() == KernelReportLexer.STALLED_CPU) {
        String w = t.getText();
        OptionalInt c = Fields.integer(w.substring(0, w.indexOf('-')));
        if (c.isPresent() && !cpus.contains(c.getAsInt())) {
          cpus.add(c.getAsInt());
        }
      }
    }
    OptionalInt detectedBy = OptionalInt.empty();
    Optional<String> by = restOf(KernelReportLexer.DETECTED_BY);
    if (by.isPresent()) {
      String s = by.get();
      int comma = s.indexOf(',');
      detectedBy = Fields.integer(comma > 0 ? s.substring(0, comma) : s);
      duration = duration.isPresent() ? duration : jiffies(s);
    }
    if (duration.isEmpty()) {
      duration = restOf(KernelReportLexer.STALL_TIME).map(s -> "t=" + s).flatMap(s -> jiffies(s).stream().boxed()
          .findFirst()).map(OptionalLong::of).orElse(OptionalLong.empty());
    }
    if (detectedBy.isEmpty() && kind == StallKind.RCU_SELF_DETECTED && cpus.size() == 1) {
      detectedBy = OptionalInt.of(cpus.get(0));
    }
    if (task.isEmpty() && draft.comm.isPresent() && draft.pid.isPresent()) {
      task = Optional.of(new TaskRef(draft.comm.get(), OptionalInt.of(draft.pid.getAsInt())));
    }
    List<String> blocked = new ArrayList<>();
    restOf(KernelReportLexer.TASKS_BLOCKED).ifPresent(s -> {
      int colon = s.indexOf("):");
      if (colon > 0) {
        for (String w : s.substring(colon + 2).strip().split("\\s+")) {
          if (!w.isEmpty()) {
            blocked.add(w);
          }
        }
      }
    });
    return new StallDetails(kind, flavour, cpus, detectedBy, duration, task, blocked, Optional.empty(),
        Optional.empty());
  }

  // "t=10502 jiffies": the jiffies count.
  private static OptionalLong jiffies(String s) {
    int t = s.indexOf("t=");
    if (t < 0) {
      return OptionalLong.empty();
    }
    int end = t + 2;
    while (end < s.length() && Character.isDigit(s.charAt(end))) {
      end++;
    }
    return Fields.decimal(s.substring(t + 2, end));
  }
}
