package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.KernelReportParser.*;
import dev.ktriage.model.Access;
import dev.ktriage.model.AccessOp;
import dev.ktriage.model.Banner;
import dev.ktriage.model.Elision;
import dev.ktriage.model.KfenceDetails;
import dev.ktriage.model.KfenceKind;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.antlr.v4.runtime.Token;

/**
 * Builds a KFENCE report (mm/kfence/report.c kfence_report_error()) from its parse tree: the header's
 * error and location, the access line with the stack of the bad access, the object
 * (kfence_print_object()) with its allocation and free stacks.
 *
 * <p>Not thread-safe; one instance per island.
 */
final class KfenceVisitor extends SanitizerVisitor {

  private Optional<String> faultLocation = Optional.empty();
  private OptionalInt objectIndex = OptionalInt.empty();
  private OptionalLong objectStart = OptionalLong.empty();
  private OptionalLong objectEnd = OptionalLong.empty();
  private OptionalLong objectSize = OptionalLong.empty();
  private Optional<String> cache = Optional.empty();
  private OptionalLong distance = OptionalLong.empty();
  private Optional<String> side = Optional.empty();
  private Optional<String> corruptedBytes = Optional.empty();

  KfenceVisitor(ReportDraft draft) {
    super(draft);
  }

  /** The report's KFENCE details, once the tree was visited. */
  KfenceDetails details() {
    return new KfenceDetails(kind(draft.bugType), faultLocation, objectIndex, objectStart, objectEnd, objectSize,
        cache, distance, side, corruptedBytes);
  }

  // The header's error as kfence_report_error() spells it for each enum kfence_error_type.
  static KfenceKind kind(String bugType) {
    if (bugType.equals("invalid free")) {
      return KfenceKind.INVALID_FREE;
    }
    if (bugType.equals("memory corruption")) {
      return KfenceKind.MEMORY_CORRUPTION;
    }
    String[] w = bugType.split(" ");
    if (w.length == 2 && (w[1].equals("read") || w[1].equals("write"))) {
      return switch (w[0]) {
        case "out-of-bounds" -> KfenceKind.OUT_OF_BOUNDS;
        case "use-after-free" -> KfenceKind.USE_AFTER_FREE;
        case "invalid" -> KfenceKind.INVALID_ACCESS;
        default -> KfenceKind.OTHER;
      };
    }
    return KfenceKind.OTHER;
  }

  @Override
  public Void visitKfenceReport(KfenceReportContext ctx) {
    List<KfenceHeaderContext> headers = ctx.kfenceHeader();
    visit(headers.get(headers.size() - 1));
    sections(ctx.kfenceSection(), KfenceSectionContext::contextLine);
    return null;
  }

  @Override
  public Void visitKfenceHeaderExact(KfenceHeaderExactContext h) {
    draft.banner = Banner.KFENCE;
    draft.header = draft.lineText(h);
    draft.bugType = Fields.terminals(h.kind.WORD());
    faultLocation = Optional.of(Fields.locationName(h.loc));
    return null;
  }

  @Override
  public Void visitKfenceHeaderLoose(KfenceHeaderLooseContext h) {
    looseHeader(h, Banner.KFENCE, h.headerWord());
    return null;
  }

  @Override
  public Void visitKfenceAccess(KfenceAccessContext a) {
    visit(a.kfenceAccessLine());
    StackCollector c = draft.collector();
    c.body(a.stackBody());
    if (c.elided()) {
      draft.elided.add(Elision.FRAMES);
    }
    if (!draft.hasStack(StackRole.ACCESS)) {
      draft.addStack(new Stack(StackRole.ACCESS, draft.lineText(a.kfenceAccessLine()), Optional.empty(),
          c.frames(), c.unavailable()));
    }
    return null;
  }

  @Override
  public Void visitKfenceAccessExact(KfenceAccessExactContext a) {
    OptionalLong address = Fields.address(a.addr);
    List<LineWordContext> w = a.lineWord();
    for (int i = 0; i < w.size(); i++) {
      String t = w.get(i).getText();
      if (t.startsWith("kfence-#")) {
        objectIndex = Fields.integer(t.substring("kfence-#".length()).replace("):", "").replace(")", ""));
      } else if ((t.equals("left") || t.equals("right")) && i > 0 && w.get(i - 1).getText().endsWith("B")) {
        // "(1B left of kfence-#29)"
        String d = w.get(i - 1).getText();
        distance = Fields.decimal(d.substring(d.startsWith("(") ? 1 : 0, d.length() - 1));
        side = Optional.of(t);
      }
    }
    if (a.op.getType() == KernelReportLexer.KFENCE_CORRUPTED) {
      // print_diff_canary(): "[ 0x2a . . . ]", the changed bytes in hex and the intact ones as dots.
      String line = draft.lineText(a);
      int open = line.indexOf('[');
      int close = line.indexOf(']', Math.max(open, 0));
      if (open >= 0 && close > open) {
        corruptedBytes = Optional.of(line.substring(open, close + 1));
      }
    }
    if (a.op.getType() == KernelReportLexer.KFENCE_ACCESS && draft.access.isEmpty()) {
      AccessOp op = a.op.getText().contains(" write ") ? AccessOp.WRITE : AccessOp.READ;
      draft.access = Optional.of(new Access(op, OptionalLong.empty(), address, Optional.empty(), Optional.empty()));
    }
    return null;
  }

  @Override
  public Void visitKfenceAccessLoose(KfenceAccessLooseContext a) {
    Token t = a.getStart();
    if (t.getType() == KernelReportLexer.KFENCE_ACCESS && draft.access.isEmpty()) {
      AccessOp op = t.getText().contains(" write ") ? AccessOp.WRITE : AccessOp.READ;
      draft.access = Optional.of(new Access(op, OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
          Optional.empty()));
    }
    return null;
  }

  // Until 5.15 the object line ends "allocated by task 9997:" and the allocation stack follows it.
  @Override
  public Void visitKfenceObject(KfenceObjectContext o) {
    KfenceObjectLineContext line = o.kfenceObjectLine();
    visit(line);
    if (!(line instanceof KfenceObjectNewContext)) {
      stack(StackRole.ALLOC, draft.lineText(line), o.stackBody());
    }
    return null;
  }

  // "kfence-#69 [0xffff88823bc8ce00-0xffff88823bc8cfa7, size=424, cache=kmalloc-512] allocated by task 9997:"
  @Override
  public Void visitKfenceObjectOld(KfenceObjectOldContext o) {
    object(o.KFENCE_OBJECT().getText(), o.range.getText(), o.size.getText(), o.cache.getText());
    return null;
  }

  // "kfence-#69: 0xffff88823bc8ce00-0xffff88823bc8cfa7, size=424, cache=kmalloc-512"
  @Override
  public Void visitKfenceObjectNew(KfenceObjectNewContext o) {
    object(o.KFENCE_OBJECT().getText(), o.range.getText(), o.size.getText(), o.cache.getText());
    return null;
  }

  private void object(String token, String range, String size, String cacheField) {
    if (objectIndex.isEmpty()) {
      String n = token.substring("kfence-#".length());
      objectIndex = Fields.integer(n.endsWith(":") ? n.substring(0, n.length() - 1) : n);
    }
    int dash = range.indexOf('-');
    if (dash > 0) {
      objectStart = Fields.hex(range.substring(0, dash));
      objectEnd = Fields.hex(range.substring(dash + 1));
    }
    if (size.startsWith("size=")) {
      objectSize = Fields.decimal(size.substring("size=".length()));
    }
    if (cacheField.startsWith("cache=")) {
      cache = Optional.of(cacheField.substring("cache=".length(), cacheField.length()
          - (cacheField.endsWith("]") ? 1 : 0)));
    }
  }

  @Override
  public Void visitKfenceAllocated(KfenceAllocatedContext a) {
    stack(StackRole.ALLOC, draft.lineTextFrom(a.KFENCE_ALLOCATED().getSymbol()), a.stackBody());
    return null;
  }

  @Override
  public Void visitKfenceFreed(KfenceFreedContext f) {
    stack(StackRole.FREE, draft.lineTextFrom(f.KFENCE_FREED().getSymbol()), f.stackBody());
    return null;
  }

  // With no_hash_pointers, show_regs() replaces dump_stack_print_info(): its call trace repeats the
  // access stack below the report's own frames, so it is kept only when the access stack is missing.
  @Override
  public Void visitCallTrace(CallTraceContext c) {
    if (draft.hasStack(StackRole.ACCESS)) {
      return null;
    }
    stack(StackRole.ACCESS, draft.lineTextFrom(c.CALL_TRACE().getSymbol()), c.stackBody());
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

  @Override
  public Void visitImplicitTrace(ImplicitTraceContext t) {
    return null;
  }

}
