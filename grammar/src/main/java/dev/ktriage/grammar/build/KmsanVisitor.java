package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportParser.*;
import dev.ktriage.model.Banner;
import dev.ktriage.model.Elision;
import dev.ktriage.model.KmsanDetails;
import dev.ktriage.model.KmsanKind;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.UninitBytes;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.antlr.v4.runtime.Token;

/**
 * Builds a KMSAN report (mm/kmsan/report.c kmsan_report()) from its parse tree: the header's bug type
 * and use location, the use's stack (printed right after the header, without a heading), the origin
 * chain of kmsan_print_origin() (stores, then the allocation or the local variable), the
 * uninitialized bytes and the user address of an infoleak.
 *
 * <p>Not thread-safe; one instance per island.
 */
final class KmsanVisitor extends SanitizerVisitor {

  private Optional<String> useLocation = Optional.empty();
  private Optional<String> localVariable = Optional.empty();
  private boolean originAvailable = true;
  private Optional<UninitBytes> bytes = Optional.empty();
  private OptionalLong accessAddress = OptionalLong.empty();
  private OptionalLong userAddress = OptionalLong.empty();

  KmsanVisitor(ReportDraft draft) {
    super(draft);
  }

  /** The report's KMSAN details, once the tree was visited. */
  KmsanDetails details() {
    originAvailable = draft.stacks.stream().filter(s -> s.role() == StackRole.ORIGIN)
        .noneMatch(s -> s.unavailable() && s.frames().isEmpty());
    return new KmsanDetails(KmsanKind.of(draft.bugType), useLocation, localVariable, originAvailable, bytes,
        accessAddress, userAddress);
  }

  @Override
  public Void visitKmsanReport(KmsanReportContext ctx) {
    // With repeated (symbolized) headers, the real one is the last; the others name inlined callees.
    List<KmsanHeaderContext> headers = ctx.kmsanHeader();
    visit(headers.get(headers.size() - 1));
    sections(ctx.kmsanSection(), KmsanSectionContext::contextLine);
    return null;
  }

  @Override
  public Void visitKmsanHeaderExact(KmsanHeaderExactContext h) {
    draft.banner = Banner.KMSAN;
    draft.header = draft.lineText(h);
    draft.bugType = Fields.terminals(h.kind.WORD());
    useLocation = Optional.of(Fields.locationName(h.loc));
    return null;
  }

  // Any other header: its leading words are still the bug type.
  @Override
  public Void visitKmsanHeaderLoose(KmsanHeaderLooseContext h) {
    looseHeader(h, Banner.KMSAN, h.headerWord());
    return null;
  }

  // The use's stack: stack_trace_print() right after the header, no heading.
  @Override
  public Void visitImplicitTrace(ImplicitTraceContext t) {
    StackCollector c = draft.collector();
    if (t.frameLine() != null) {
      c.frame(t.frameLine());
    } else if (t.inlineLine() != null) {
      c.inline(t.inlineLine());
    } else if (t.markerLine() != null) {
      c.marker(t.markerLine());
    }
    c.body(t.stackBody());
    if (c.elided()) {
      draft.elided.add(Elision.FRAMES);
    }
    if (!draft.hasStack(StackRole.ACCESS) && !c.frames().isEmpty()) {
      draft.addStack(new Stack(StackRole.ACCESS, "", Optional.empty(), c.frames(), false));
    }
    return null;
  }

  // Before KMSAN went upstream (5.x syzbot trees), kmsan_report() called dump_stack(): the use's stack
  // is then a "Call Trace:" under the context lines, with the report's own frames on top.
  @Override
  public Void visitCallTrace(CallTraceContext c) {
    if (!draft.hasStack(StackRole.ACCESS)) {
      stack(StackRole.ACCESS, draft.lineTextFrom(c.CALL_TRACE().getSymbol()), c.stackBody());
    }
    return null;
  }

  @Override
  public Void visitUninitStoreStack(UninitStoreStackContext s) {
    stack(StackRole.UNINIT_STORE, draft.lineTextFrom(s.UNINIT_STORED().getSymbol()), s.stackBody());
    return null;
  }

  @Override
  public Void visitOriginCreated(OriginCreatedContext o) {
    stack(StackRole.ORIGIN, draft.lineTextFrom(o.UNINIT_CREATED().getSymbol()), o.stackBody());
    return null;
  }

  // "Local variable ----path@step_into created at:" and the function that owns it, then its caller.
  @Override
  public Void visitOriginLocal(OriginLocalContext o) {
    List<LineWordContext> w = o.lineWord();
    // Before 5.15: "Local variable description: ----buf@f", the stack under "Variable was created at:".
    int i = !w.isEmpty() && w.get(0).getText().equals("description:") ? 1 : 0;
    if (i < w.size()) {
      localVariable = Optional.of(w.get(i).getText());
    }
    if (i == 1 && o.stackBody().stackLine().isEmpty()) {
      return null;
    }
    stack(StackRole.ORIGIN, draft.lineTextFrom(o.LOCAL_VARIABLE().getSymbol()), o.stackBody());
    return null;
  }

  @Override
  public Void visitOriginVariable(OriginVariableContext o) {
    stack(StackRole.ORIGIN, draft.lineTextFrom(o.VARIABLE_CREATED().getSymbol()), o.stackBody());
    return null;
  }

  private void stack(StackRole role, String label, StackBodyContext body) {
    StackCollector c = draft.collector();
    c.body(body);
    if (c.elided()) {
      draft.elided.add(Elision.FRAMES);
    }
    draft.addStack(new Stack(role, label, Optional.empty(), c.frames(), c.unavailable()));
  }

  // "Byte 115 of 4096 is uninitialized", "Bytes 4-7 of 18 are uninitialized": the token holds the offsets.
  @Override
  public Void visitUninitBytesExact(UninitBytesExactContext u) {
    Token t = u.UNINIT_BYTES().getSymbol();
    String offsets = t.getText().substring(t.getText().indexOf(' ') + 1);
    int dash = offsets.indexOf('-');
    OptionalInt first = Fields.integer(dash < 0 ? offsets : offsets.substring(0, dash));
    OptionalInt last = Fields.integer(dash < 0 ? offsets : offsets.substring(dash + 1));
    OptionalInt of = Fields.integer(u.size);
    if (first.isPresent() && last.isPresent() && of.isPresent()) {
      bytes = Optional.of(new UninitBytes(first.getAsInt(), last.getAsInt(), of.getAsInt()));
    }
    return null;
  }

  @Override
  public Void visitMemoryAccessExact(MemoryAccessExactContext m) {
    accessAddress = Fields.address(m.addr);
    return null;
  }

  @Override
  public Void visitUserAddressExact(UserAddressExactContext u) {
    userAddress = Fields.address(u.addr);
    return null;
  }

}
