package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportParser.WarnAtContext;
import dev.ktriage.grammar.antlr.KernelReportParser.WarnBareContext;
import dev.ktriage.grammar.antlr.KernelReportParser.WarnCpuHashContext;
import dev.ktriage.grammar.antlr.KernelReportParser.WarnCpuHashNoSiteContext;
import dev.ktriage.grammar.antlr.KernelReportParser.WarnCpuPidContext;
import dev.ktriage.grammar.antlr.KernelReportParser.WarnCpuPidNoSiteContext;
import dev.ktriage.grammar.antlr.KernelReportParser.WarnFramePointerContext;
import dev.ktriage.grammar.antlr.KernelReportParser.WarnStackRegsContext;
import dev.ktriage.grammar.antlr.KernelReportParser.WarnTextContext;
import dev.ktriage.grammar.antlr.KernelReportParser.WarnWordContext;
import dev.ktriage.grammar.antlr.KernelReportParser.WarningHeaderContext;
import dev.ktriage.grammar.frame.DecodedFrame;
import dev.ktriage.model.ReportDetails;
import dev.ktriage.model.SourceLocation;
import dev.ktriage.model.TaskRef;
import dev.ktriage.model.Tool;
import dev.ktriage.model.WarningDetails;
import dev.ktriage.model.WarningForm;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.antlr.v4.runtime.Token;

/**
 * Builds a {@code WARN()} report (kernel/panic.c {@code __warn()}) from its parse tree: the header's
 * form and fields, the warning's message (ODEBUG:, refcount_t:) and the faulting pc.
 *
 * <p>Not thread-safe; one instance per island.
 */
final class WarningVisitor extends OopsVisitor {

  private WarningForm form = WarningForm.TEXT;
  private Optional<SourceLocation> site = Optional.empty();
  private Optional<String> function = Optional.empty();
  private Optional<String> condition = Optional.empty();
  private Optional<TaskRef> task = Optional.empty();

  WarningVisitor(ReportDraft draft) {
    super(draft);
    draft.tool = Tool.WARNING;
  }

  @Override
  ReportDetails details() {
    Optional<TaskRef> who = task.or(() -> draft.pid.isPresent() && draft.comm.isPresent()
        ? Optional.of(new TaskRef(draft.comm.get(), OptionalInt.of(draft.pid.getAsInt()))) : Optional.empty());
    return new WarningDetails(form, site, function, condition, pc.map(DecodedFrame::function), message, who);
  }

  private void header(WarningHeaderContext h, WarningForm f, String bugType) {
    draft.header = draft.lineText(h);
    form = f;
    draft.bugType = bugType;
  }

  private void site(Token t) {
    String s = t.getText();
    int colon = s.lastIndexOf(':');
    Fields.integer(s.substring(colon + 1)).ifPresent(line -> site = Optional.of(new SourceLocation(s.substring(0, colon), line)));
  }

  // Kernels before 4.x printed "f+0x1/0x2()".
  private void function(WarnWordContext w) {
    String t = w.getText();
    function = function(t.endsWith("()") ? t.substring(0, t.length() - 2) : t);
  }

  @Override
  public Void visitWarnCpuPid(WarnCpuPidContext h) {
    header(h, WarningForm.CPU_PID, "WARNING");
    site(h.site);
    function(h.fn);
    draft.cpu = draft.cpu.isPresent() ? draft.cpu : Fields.integer(h.cpu);
    return null;
  }

  @Override
  public Void visitWarnCpuPidNoSite(WarnCpuPidNoSiteContext h) {
    header(h, WarningForm.CPU_PID, "WARNING");
    function(h.fn);
    return null;
  }

  @Override
  public Void visitWarnAt(WarnAtContext h) {
    header(h, WarningForm.AT, "WARNING");
    site(h.site);
    function(h.fn);
    return null;
  }

  @Override
  public Void visitWarnCpuHash(WarnCpuHashContext h) {
    header(h, WarningForm.CPU_HASH, "WARNING");
    site(h.site);
    function(h.fn);
    if (h.cond != null) {
      String c = h.cond.getText();
      condition = Optional.of(c.substring(1, c.length() - 1));
    }
    task = Optional.of(Fields.task(words(h.task)));
    return null;
  }

  @Override
  public Void visitWarnCpuHashNoSite(WarnCpuHashNoSiteContext h) {
    header(h, WarningForm.CPU_HASH, "WARNING");
    function(h.fn);
    task = Optional.of(Fields.task(words(h.task)));
    return null;
  }

  // "WARNING: kernel stack regs at X in comm:pid has bad 'bp' value Y": the register names the title.
  @Override
  public Void visitWarnStackRegs(WarnStackRegsContext h) {
    String reg = h.reg.getText();
    header(h, WarningForm.BAD_STACK_REGS, "kernel stack regs has bad " + reg + " value");
    task = Optional.of(colonTask(h.task.getText()));
    return null;
  }

  @Override
  public Void visitWarnFramePointer(WarnFramePointerContext h) {
    header(h, WarningForm.BAD_FRAME_POINTER, "kernel stack frame pointer has bad value");
    return null;
  }

  @Override
  public Void visitWarnBare(WarnBareContext h) {
    header(h, WarningForm.BARE, "WARNING");
    return null;
  }

  @Override
  public Void visitWarnText(WarnTextContext h) {
    header(h, WarningForm.TEXT, "WARNING");
    return null;
  }

  private static String words(List<WarnWordContext> ws) {
    return String.join(" ", ws.stream().map(WarnWordContext::getText).toList());
  }

  // "syz-executor3:9840": the unwinder prints comm:pid.
  private static TaskRef colonTask(String s) {
    int colon = s.lastIndexOf(':');
    if (colon > 0) {
      OptionalInt pid = Fields.integer(s.substring(colon + 1));
      if (pid.isPresent()) {
        return new TaskRef(s.substring(0, colon), pid);
      }
    }
    return new TaskRef(s, OptionalInt.empty());
  }
}
