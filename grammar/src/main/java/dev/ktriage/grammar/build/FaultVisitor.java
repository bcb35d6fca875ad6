package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.KernelReportParser.ArmFaultContext;
import dev.ktriage.grammar.antlr.KernelReportParser.GpfHeaderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.KernelBugAtContext;
import dev.ktriage.grammar.antlr.KernelReportParser.KernelBugOtherContext;
import dev.ktriage.grammar.antlr.KernelReportParser.PageFaultCutContext;
import dev.ktriage.grammar.antlr.KernelReportParser.PageFaultHeaderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.SlabCheckContext;
import dev.ktriage.grammar.antlr.KernelReportParser.StackGuardHeaderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.StackSegmentHeaderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.TextLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.TrapHeaderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.UnableToHandleContext;
import dev.ktriage.grammar.frame.DecodedFrame;
import dev.ktriage.model.FaultDetails;
import dev.ktriage.model.FaultKind;
import dev.ktriage.model.ReportDetails;
import dev.ktriage.model.SourceLocation;
import dev.ktriage.model.Tool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.antlr.v4.runtime.ParserRuleContext;

/**
 * Builds a fault or trap report from its parse tree: x86's general protection and stack segment
 * faults and traps (arch/x86/kernel/traps.c, dumpstack.c __die_header()), page faults (x86
 * arch/x86/mm/fault.c show_fault_oops(), arm64 arch/arm64/mm/fault.c die_kernel_fault(), arm, riscv,
 * powerpc), BUG() (lib/bug.c report_bug()), SLUB's object checks (mm/slub.c slab_bug()), arm's
 * aborts and die(), and x86's stack guard page (arch/x86/kernel/dumpstack_64.c). The header names
 * the kind and its numbers; the register dump and the faulting pc follow.
 *
 * <p>Not thread-safe; one instance per island.
 */
final class FaultVisitor extends OopsVisitor {

  // What syzkaller's title and the clustering class call each kind.
  private static final Map<FaultKind, String> BUG_TYPES = Map.ofEntries(
      Map.entry(FaultKind.GENERAL_PROTECTION, "general protection fault"),
      Map.entry(FaultKind.STACK_SEGMENT, "stack segment fault"),
      Map.entry(FaultKind.PAGING_REQUEST, "unable to handle kernel paging request"),
      Map.entry(FaultKind.NULL_POINTER, "unable to handle kernel NULL pointer dereference"),
      Map.entry(FaultKind.USER_MEMORY_ACCESS, "unable to handle kernel access to user memory"),
      Map.entry(FaultKind.PAGE_FAULT_CUT, "unable to handle kernel"),
      Map.entry(FaultKind.PAGE_FAULT_OTHER, "unable to handle kernel"),
      Map.entry(FaultKind.DIVIDE_ERROR, "divide error"),
      Map.entry(FaultKind.INVALID_OPCODE, "invalid opcode"),
      Map.entry(FaultKind.INT3, "int3"),
      Map.entry(FaultKind.DOUBLE_FAULT, "double fault"),
      Map.entry(FaultKind.KERNEL_BUG, "kernel BUG"),
      Map.entry(FaultKind.SLAB_CHECK, "slab check"),
      Map.entry(FaultKind.INTERNAL_ERROR, "internal error"),
      Map.entry(FaultKind.UNHANDLED_FAULT, "unhandled fault"),
      Map.entry(FaultKind.ALIGNMENT_TRAP, "alignment trap"),
      Map.entry(FaultKind.STACK_GUARD_PAGE, "stack guard page was hit"));

  // The rest of an arm/riscv/powerpc "Unable to handle kernel ..." line, and the kind it names.
  private static final Map<String, FaultKind> UNABLE_FORMS = Map.of(
      "paging request", FaultKind.PAGING_REQUEST,
      "data access", FaultKind.PAGING_REQUEST, // powerpc's bad_page_fault() for a data access
      "NULL pointer dereference", FaultKind.NULL_POINTER,
      "access to user memory", FaultKind.USER_MEMORY_ACCESS);

  private FaultKind kind = FaultKind.GENERAL_PROTECTION;
  private Optional<String> address = Optional.empty();
  private Optional<String> errorCode = Optional.empty();
  private Optional<SourceLocation> site = Optional.empty();
  private String rest = "";
  private final List<String> texts = new ArrayList<>();

  FaultVisitor(ReportDraft draft) {
    super(draft);
    draft.tool = Tool.FAULT;
  }

  // The header as printed, and its text after the banner's words.
  private String header(ParserRuleContext h, FaultKind k, int bannerLength) {
    draft.header = draft.lineText(h);
    kind = k;
    rest = draft.header.substring(Math.min(bannerLength, draft.header.length())).strip();
    return rest;
  }

  // "general protection fault: 0000 [#1] SMP KASAN"; since 5.6 "general protection fault, probably for
  // non-canonical address 0xdffffc0000000003: 0000 [#1] PREEMPT SMP KASAN" (or "... for non-canonical ...").
  @Override
  public Void visitGpfHeader(GpfHeaderContext h) {
    String r = header(h, FaultKind.GENERAL_PROTECTION, h.GPF().getText().length());
    address = wordAfter(r, "address ").map(FaultVisitor::withoutColon);
    errorCode = dieCode(r);
    return null;
  }

  // "stack segment: 0000 [#1] PREEMPT SMP KASAN PTI"
  @Override
  public Void visitStackSegmentHeader(StackSegmentHeaderContext h) {
    String r = header(h, FaultKind.STACK_SEGMENT, h.STACK_SEGMENT().getText().length());
    errorCode = firstWord(r);
    return null;
  }

  // "divide error: 0000 [#1] SMP KASAN", "invalid opcode: 0000 [#1]", "int3: 0000 [#1]",
  // "PANIC: double fault, error_code: 0x0".
  @Override
  public Void visitTrapHeader(TrapHeaderContext h) {
    FaultKind k = switch (h.trap.getType()) {
      case KernelReportLexer.DIVIDE_ERROR -> FaultKind.DIVIDE_ERROR;
      case KernelReportLexer.INVALID_OPCODE -> FaultKind.INVALID_OPCODE;
      case KernelReportLexer.INT3 -> FaultKind.INT3;
      default -> FaultKind.DOUBLE_FAULT;
    };
    String r = header(h, k, h.trap.getText().length());
    errorCode = k == FaultKind.DOUBLE_FAULT ? wordAfter(r, "error_code: ") : firstWord(r);
    return null;
  }

  // "BUG: unable to handle kernel paging request at ffff88002bde1e40",
  // "BUG: unable to handle page fault for address: fffffbfff3f6a000",
  // "BUG: kernel NULL pointer dereference, address: 0000000000000000".
  @Override
  public Void visitPageFaultHeader(PageFaultHeaderContext h) {
    FaultKind k = h.kind.getType() == KernelReportLexer.PF_NULL ? FaultKind.NULL_POINTER : FaultKind.PAGING_REQUEST;
    String r = header(h, k, h.kind.getText().length());
    address = wordAfter(r, "address: ").or(() -> wordAfter(r, "at ")).or(() -> lastWord(r));
    return null;
  }

  // "BUG: unable to handle kernel" alone: the rest of the line was a second printk that was lost.
  @Override
  public Void visitPageFaultCut(PageFaultCutContext h) {
    header(h, FaultKind.PAGE_FAULT_CUT, h.PF_CUT().getText().length());
    return null;
  }

  // arm64 die_kernel_fault(): "Unable to handle kernel paging request at virtual address dfff800000000005";
  // riscv "Unable to handle kernel access to user memory without uaccess routines at virtual address X".
  @Override
  public Void visitUnableToHandle(UnableToHandleContext h) {
    String r = header(h, FaultKind.PAGE_FAULT_OTHER, h.UNABLE_TO_HANDLE().getText().length());
    for (Map.Entry<String, FaultKind> f : UNABLE_FORMS.entrySet()) {
      if (r.startsWith(f.getKey())) {
        kind = f.getValue();
      }
    }
    address = wordAfter(r, "address ").or(() -> wordAfter(r, " at "));
    return null;
  }

  // "BUG: TASK stack guard page was hit at ffffc9000e4aff58 (stack is ffffc9000e4b0000..ffffc9000e4b8000)"
  @Override
  public Void visitStackGuardHeader(StackGuardHeaderContext h) {
    String r = header(h, FaultKind.STACK_GUARD_PAGE, h.STACK_GUARD().getText().length());
    address = wordAfter(r, "at ");
    return null;
  }

  // "kernel BUG at lib/list_debug.c:53!"
  @Override
  public Void visitKernelBugAt(KernelBugAtContext h) {
    String r = header(h, FaultKind.KERNEL_BUG, h.KERNEL_BUG_AT().getText().length());
    String w = firstWord(r).orElse("");
    if (w.endsWith("!")) {
      w = w.substring(0, w.length() - 1);
    }
    int colon = w.lastIndexOf(':');
    if (colon > 0) {
      String file = w.substring(0, colon);
      Fields.integer(w.substring(colon + 1)).ifPresent(n -> site = Optional.of(new SourceLocation(file, n)));
    }
    return null;
  }

  // "Kernel BUG at f+0x1/0x2 [verbose debug info unavailable]", a "kernel BUG" line of another shape.
  @Override
  public Void visitKernelBugOther(KernelBugOtherContext h) {
    header(h, FaultKind.KERNEL_BUG, h.KERNEL_BUG().getText().length());
    return null;
  }

  // "BUG kmalloc-8 (Tainted: G    B         ): Object already free"
  @Override
  public Void visitSlabCheck(SlabCheckContext h) {
    String r = header(h, FaultKind.SLAB_CHECK, "BUG ".length());
    int close = r.indexOf("): ");
    rest = close >= 0 ? r.substring(close + 3).strip() : r;
    return null;
  }

  // "Internal error: Oops: 96000005 [#1] PREEMPT SMP", "Internal error: : 81b [#1] SMP ARM";
  // "Unhandled fault: page domain fault (0x81b) at 0x00001044"; "Alignment trap: not handling
  // instruction e1932f9f at [<8028bd58>]".
  @Override
  public Void visitArmFault(ArmFaultContext h) {
    FaultKind k = switch (h.arm.getType()) {
      case KernelReportLexer.INTERNAL_ERROR -> FaultKind.INTERNAL_ERROR;
      case KernelReportLexer.UNHANDLED_FAULT -> FaultKind.UNHANDLED_FAULT;
      default -> FaultKind.ALIGNMENT_TRAP;
    };
    String r = header(h, k, h.arm.getText().length());
    switch (k) {
      case INTERNAL_ERROR -> errorCode = dieCode(r);
      case UNHANDLED_FAULT -> {
        address = wordAfter(r, ") at ");
        int open = r.indexOf('(');
        int close = r.indexOf(')', open + 1);
        if (open >= 0 && close > open) {
          errorCode = Optional.of(r.substring(open + 1, close));
        }
      }
      default -> address = wordAfter(r, " at ");
    }
    return null;
  }

  @Override
  public Void visitTextLine(TextLineContext t) {
    texts.add(draft.lineText(t));
    return null;
  }

  @Override
  ReportDetails details() {
    draft.bugType = bugType();
    List<String> all = new ArrayList<>(message);
    all.addAll(texts);
    Optional<String> kasanRange = all.stream().map(String::strip)
        .filter(l -> l.startsWith("KASAN: ") && l.contains(" in range ")).findFirst()
        .map(l -> l.substring("KASAN: ".length()));
    List<String> pf = all.stream().map(String::strip).filter(l -> l.startsWith("#PF: "))
        .map(l -> l.substring("#PF: ".length())).toList();
    Optional<String> access = pf.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", pf));
    Map<String, String> registers = new LinkedHashMap<>();
    for (String l : all) {
      RegisterDump.pairs(l).forEach(registers::putIfAbsent);
    }
    if (address.isEmpty() && (kind == FaultKind.GENERAL_PROTECTION || kind == FaultKind.PAGING_REQUEST
        || kind == FaultKind.NULL_POINTER) && registers.containsKey("CR2")) {
      address = Optional.of(registers.get("CR2")); // x86 keeps the faulting address of a page fault in CR2
    }
    Optional<String> pcText = pc.map(FaultVisitor::printed);
    return new FaultDetails(kind, address, errorCode, pcText, site, kasanRange, access, rest, registers);
  }

  private String bugType() {
    String t = BUG_TYPES.get(kind);
    if (kind == FaultKind.KERNEL_BUG && site.isPresent()) {
      return t + " at " + site.get().file();
    }
    if (kind == FaultKind.SLAB_CHECK && !rest.isEmpty()) {
      return rest;
    }
    return t;
  }

  private static String printed(DecodedFrame d) {
    StringBuilder b = new StringBuilder(d.function());
    if (d.offset().isPresent()) {
      b.append(String.format(Locale.ROOT, "+0x%x", d.offset().getAsLong()));
      if (d.size().isPresent()) {
        b.append(String.format(Locale.ROOT, "/0x%x", d.size().getAsLong()));
      }
    }
    d.module().ifPresent(m -> b.append(" [").append(m).append(']'));
    return b.toString();
  }

  // The word after `marker` in `s`.
  private static Optional<String> wordAfter(String s, String marker) {
    int i = s.indexOf(marker);
    if (i < 0) {
      return Optional.empty();
    }
    return firstWord(s.substring(i + marker.length()));
  }

  private static Optional<String> firstWord(String s) {
    String t = s.strip();
    if (t.isEmpty()) {
      return Optional.empty();
    }
    int sp = t.indexOf(' ');
    return Optional.of(sp < 0 ? t : t.substring(0, sp));
  }

  private static Optional<String> lastWord(String s) {
    String t = s.strip();
    if (t.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(t.substring(t.lastIndexOf(' ') + 1));
  }

  private static String withoutColon(String w) {
    return w.endsWith(":") ? w.substring(0, w.length() - 1) : w;
  }

  // die()'s "<code> [#N]": the word before the oops counter ("0000", "96000005", "81b").
  private static Optional<String> dieCode(String s) {
    int i = s.indexOf(" [#");
    if (i < 0) {
      return Optional.empty();
    }
    String before = s.substring(0, i).strip();
    String w = before.substring(before.lastIndexOf(' ') + 1);
    return w.isEmpty() || w.endsWith(":") ? Optional.empty() : Optional.of(w);
  }
}
