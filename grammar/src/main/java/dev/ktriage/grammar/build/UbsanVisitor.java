package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportParser.*;
import dev.ktriage.model.Banner;
import dev.ktriage.model.Elision;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.UbsanDetails;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Builds a UBSAN report (lib/ubsan.c) from its parse tree: the check's kind and source position from
 * ubsan_prologue()'s header, the handler's lines under it, and dump_stack()'s call trace, the stack the
 * title blames.
 *
 * <p>Not thread-safe; one instance per island.
 */
final class UbsanVisitor extends SanitizerVisitor {

  private Optional<String> file = Optional.empty();
  private OptionalInt line = OptionalInt.empty();
  private OptionalInt column = OptionalInt.empty();
  private final List<String> message = new ArrayList<>();
  // The handler's lines end where dump_stack() starts (its context lines or the call trace).
  private boolean inMessage = true;

  UbsanVisitor(ReportDraft draft) {
    super(draft);
  }

  /** The report's UBSAN details, once the tree was visited. */
  UbsanDetails details() {
    return new UbsanDetails(file, line, column, message);
  }

  @Override
  public Void visitUbsanReport(UbsanReportContext ctx) {
    visit(ctx.ubsanHeader());
    sections(ctx.ubsanSection(), UbsanSectionContext::contextLine);
    return null;
  }

  @Override
  public Void visitUbsanHeaderExact(UbsanHeaderExactContext h) {
    draft.banner = Banner.UBSAN;
    draft.header = draft.lineText(h);
    draft.bugType = Fields.terminals(h.kind.WORD());
    // "net/ipv4/tcp_input.c:3390:21": the file, then the line and column the compiler recorded.
    String src = h.src.getText();
    int lastColon = src.lastIndexOf(':');
    int firstColon = lastColon > 0 ? src.lastIndexOf(':', lastColon - 1) : -1;
    if (firstColon > 0) {
      OptionalInt l = Fields.integer(src.substring(firstColon + 1, lastColon));
      OptionalInt c = Fields.integer(src.substring(lastColon + 1));
      if (l.isPresent() && c.isPresent()) {
        file = Optional.of(src.substring(0, firstColon));
        line = l;
        column = c;
      }
    }
    return null;
  }

  @Override
  protected void atContextLine() {
    inMessage = false;
  }

  @Override
  public Void visitUbsanHeaderLoose(UbsanHeaderLooseContext h) {
    looseHeader(h, Banner.UBSAN, h.headerWord());
    return null;
  }

  @Override
  public Void visitCallTrace(CallTraceContext c) {
    inMessage = false;
    if (!draft.hasStack(StackRole.ACCESS)) {
      stack(draft.lineTextFrom(c.CALL_TRACE().getSymbol()), c.stackBody(), null);
    }
    return null;
  }

  // Frames without a heading (arm's dump_backtrace() before 5.x, pastes): the stack, if none came yet.
  @Override
  public Void visitImplicitTrace(ImplicitTraceContext t) {
    inMessage = false;
    if (!draft.hasStack(StackRole.ACCESS)) {
      stack("", t.stackBody(), t);
    }
    return null;
  }

  private void stack(String label, StackBodyContext body, ImplicitTraceContext first) {
    StackCollector c = draft.collector();
    if (first != null) {
      if (first.frameLine() != null) {
        c.frame(first.frameLine());
      } else if (first.inlineLine() != null) {
        c.inline(first.inlineLine());
      } else if (first.markerLine() != null) {
        c.marker(first.markerLine());
      }
    }
    c.body(body);
    if (c.elided()) {
      draft.elided.add(Elision.FRAMES);
    }
    draft.addStack(new Stack(StackRole.ACCESS, label, Optional.empty(), c.frames(), c.unavailable()));
  }

  @Override
  public Void visitTextLine(TextLineContext t) {
    String text = draft.lineText(t);
    if (inMessage && !text.isEmpty()) {
      message.add(text);
    }
    draft.arch.text(text);
    return null;
  }
}
