package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportParser.CommWordContext;
import dev.ktriage.grammar.antlr.KernelReportParser.CpuExactContext;
import dev.ktriage.grammar.antlr.KernelReportParser.CpuLooseContext;
import dev.ktriage.grammar.antlr.KernelReportParser.HardwareLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LineWordContext;
import dev.ktriage.grammar.antlr.KernelReportParser.NotTaintedContext;
import dev.ktriage.grammar.antlr.KernelReportParser.TaintFlagsContext;
import dev.ktriage.grammar.antlr.KernelReportParser.TaintLegendContext;
import dev.ktriage.grammar.antlr.KernelReportParserBaseVisitor;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Reads the context lines that every report family prints through dump_stack_print_info()
 * (lib/dump_stack.c) into the draft: the CPU line ({@code CPU: 0 UID: 0 PID: 1 Comm: swapper/0 Not
 * tainted 6.12.0 #1}) and {@code Hardware name:}. The first CPU line is the report's: a second one
 * belongs to a following oops.
 *
 * <p>Not thread-safe; one instance per island.
 */
final class ContextLines extends KernelReportParserBaseVisitor<Void> {

  private final ReportDraft draft;

  ContextLines(ReportDraft draft) {
    this.draft = draft;
  }

  @Override
  public Void visitCpuExact(CpuExactContext c) {
    if (draft.cpu.isPresent()) {
      return null;
    }
    draft.cpu = Fields.integer(c.cpu);
    draft.pid = Fields.integer(c.pid);
    StringBuilder comm = new StringBuilder();
    for (CommWordContext w : c.commName().commWord()) {
      if (comm.length() > 0) {
        comm.append(' ');
      }
      comm.append(w.getText());
    }
    draft.comm = Optional.of(comm.toString());
    draft.taint = Optional.of(switch (c.taint()) {
      case NotTaintedContext n -> "";
      case TaintFlagsContext t -> Fields.terminals(t.TAINT_FLAG()).replace(" ", "");
      default -> "";
    });
    if (c.release != null) {
      draft.release = Optional.of(c.release.getText());
    }
    if (!c.build.isEmpty()) {
      draft.build = Optional.of(Fields.words(c.build));
    }
    return null;
  }

  // A CPU line of another shape: keep what can be told (cpu, pid) without trusting the rest.
  @Override
  public Void visitCpuLoose(CpuLooseContext c) {
    if (draft.cpu.isPresent()) {
      return null;
    }
    List<LineWordContext> w = c.lineWord();
    if (!w.isEmpty()) {
      draft.cpu = Fields.integer(w.get(0).getText());
    }
    for (int i = 0; i + 1 < w.size(); i++) {
      TerminalNode kw = w.get(i).PID_KW();
      if (kw != null) {
        draft.pid = Fields.integer(w.get(i + 1).getText());
      }
    }
    return null;
  }

  // "Tainted: [W]=WARN": the letters were already on the CPU line; this line only explains them.
  @Override
  public Void visitTaintLegend(TaintLegendContext c) {
    return null;
  }

  @Override
  public Void visitHardwareLine(HardwareLineContext c) {
    if (draft.hardware.isEmpty()) {
      String name = draft.lineText(c).substring("Hardware name:".length()).strip();
      draft.hardware = Optional.of(name);
      draft.arch.hardware(name);
    }
    return null;
  }
}
