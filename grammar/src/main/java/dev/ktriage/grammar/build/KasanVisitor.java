package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.FrameToken;
import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.KernelReportParser.*;
import dev.ktriage.model.Access;
import dev.ktriage.model.AccessOp;
import dev.ktriage.model.Banner;
import dev.ktriage.model.BuggyObject;
import dev.ktriage.model.BuggyRegion;
import dev.ktriage.model.Elision;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.KasanHeaderForm;
import dev.ktriage.model.KasanMode;
import dev.ktriage.model.MemoryTags;
import dev.ktriage.model.RegionRelation;
import dev.ktriage.model.ShadowDump;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackOrigin;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.TaskRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.antlr.v4.runtime.Token;

/**
 * Builds a KASAN report (mm/kasan/report.c) from its parse tree: one method per kind of line, each
 * reading the fields its grammar rule names. An exact alternative's fields are trusted; a loose
 * one's (a damaged or unfamiliar line of that kind) give only what can be told from them.
 *
 * <p>Not thread-safe; one instance per island.
 */
final class KasanVisitor extends SanitizerVisitor {


  private KasanHeaderForm headerForm = KasanHeaderForm.UNRECOGNIZED;
  private Optional<String> faultLocation = Optional.empty();
  // Kernels before 4.11 print the address in the header ("... in f+0x1/0x2 at addr X", "... on
  // address X") and not in the access line ("Read of size 4 by task t/1").
  private OptionalLong headerAddress = OptionalLong.empty();
  private OptionalLong objectAddress = OptionalLong.empty();
  private Optional<String> cache = Optional.empty();
  private OptionalLong objectSize = OptionalLong.empty();
  private Optional<BuggyRegion> region = Optional.empty();
  private Optional<String> variable = Optional.empty();
  private Optional<String> stackOwner = Optional.empty();
  private final List<String> page = new ArrayList<>();
  private Optional<ShadowDump> shadow = Optional.empty();
  // An access stack made from frames without a heading, until a real call trace shows up.
  private Stack implicitAccess;
  // A located line waiting for its region line ("... to the right of" + "64-byte region [..)").
  private RegionRelation pendingRelation;
  private long pendingDistance = -1;

  KasanVisitor(ReportDraft draft) {
    super(draft);
  }

  /** The report's KASAN details, once the tree was visited. */
  KasanDetails details() {
    // An implicit trace taken as the access stack gives way to a "Call Trace:" that comes later
    // (syzbot logs where other lines landed between the access line and the call trace).
    if (implicitAccess != null && draft.stacks.stream().filter(s -> s.role() == StackRole.ACCESS).count() > 1) {
      draft.stacks.remove(implicitAccess);
    }
    KasanMode mode = KasanMode.GENERIC;
    if (draft.tags.isPresent() || draft.bugType.equals("invalid-access")) {
      mode = draft.arch.hardwareTags() ? KasanMode.HW_TAGS : KasanMode.SW_TAGS;
    }
    Optional<BuggyObject> object = objectAddress.isPresent() || cache.isPresent() || region.isPresent()
        ? Optional.of(new BuggyObject(objectAddress, cache, objectSize, region))
        : Optional.empty();
    return new KasanDetails(mode, headerForm, faultLocation, object, variable, stackOwner, page, shadow);
  }

  @Override
  public Void visitKasanReport(KasanReportContext ctx) {
    // With repeated (symbolized) headers, the real one is the last; the others name inlined callees.
    List<KasanHeaderContext> headers = ctx.kasanHeader();
    visit(headers.get(headers.size() - 1));
    sections(ctx.kasanSection(), KasanSectionContext::contextLine);
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // The header

  private void header(KasanBannerContext banner, KasanHeaderContext h) {
    draft.header = draft.lineText(h);
    draft.banner = switch (banner.getStart().getType()) {
      case KernelReportLexer.KASAN_4_0_BUG -> Banner.KASAN_4_0;
      case KernelReportLexer.ASAN_BUG -> Banner.ADDRESS_SANITIZER;
      default -> Banner.KASAN;
    };
  }

  @Override
  public Void visitKasanHeaderExact(KasanHeaderExactContext h) {
    header(h.kasanBanner(), h);
    headerForm = KasanHeaderForm.LOCATION;
    draft.bugType = Fields.terminals(h.kind.WORD());
    faultLocation = Optional.of(Fields.locationName(h.loc));
    headerAddress = h.addr == null ? OptionalLong.empty() : Fields.hex(h.addr.getText());
    return null;
  }

  @Override
  public Void visitKasanHeaderOnAddress(KasanHeaderOnAddressContext h) {
    header(h.kasanBanner(), h);
    headerForm = KasanHeaderForm.ON_ADDRESS;
    draft.bugType = Fields.terminals(h.kind.WORD());
    headerAddress = Fields.hex(h.addr.getText());
    return null;
  }

  // Any other header: its leading words are still the bug kind ("invalid size 1844674407 in").
  @Override
  public Void visitKasanHeaderLoose(KasanHeaderLooseContext h) {
    header(h.kasanBanner(), h);
    headerForm = KasanHeaderForm.UNRECOGNIZED;
    draft.bugType = leadingWords(h.headerWord());
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // The access

  private static AccessOp op(Token t) {
    return switch (t.getType()) {
      case KernelReportLexer.READ_OF_SIZE, KernelReportLexer.READ_AT_ADDR -> AccessOp.READ;
      default -> AccessOp.WRITE;
    };
  }

  private void access(AccessOp op, OptionalLong size, OptionalLong address, Optional<TaskRef> task) {
    if (draft.access.isPresent()) {
      return; // a second access line belongs to something else (merged output)
    }
    draft.access = Optional.of(new Access(op, size, address.isPresent() ? address : headerAddress, task,
        draft.tags));
  }

  @Override
  public Void visitAccessExact(AccessExactContext a) {
    access(op(a.op), Fields.unsignedDecimal(a.size), Fields.address(a.addr),
        Optional.of(Fields.task(draft.lineTextFrom(a.task.getStart()))));
    return null;
  }

  @Override
  public Void visitAccessTagged(AccessTaggedContext a) {
    access(op(a.op), OptionalLong.empty(), Fields.address(a.addr),
        Optional.of(Fields.task(draft.lineTextFrom(a.task.getStart()))));
    return null;
  }

  @Override
  public Void visitAccessNoAddress(AccessNoAddressContext a) {
    access(op(a.op), Fields.unsignedDecimal(a.size), OptionalLong.empty(),
        Optional.of(Fields.task(draft.lineTextFrom(a.task.getStart()))));
    return null;
  }

  // An access line of another shape: the operation is sure (it is the token); a size or address
  // right after its keyword is kept, the rest is not trusted.
  @Override
  public Void visitAccessLoose(AccessLooseContext a) {
    Token opToken = a.accessOp().getStart();
    List<LineWordContext> w = a.lineWord();
    OptionalLong size = OptionalLong.empty();
    OptionalLong address = OptionalLong.empty();
    int i = 0;
    boolean bySize = opToken.getType() == KernelReportLexer.READ_OF_SIZE
        || opToken.getType() == KernelReportLexer.WRITE_OF_SIZE;
    if (bySize && i < w.size() && w.get(i).NUMBER() != null) {
      size = Fields.unsignedDecimal(w.get(i).getText());
      i++;
    } else if (!bySize && i < w.size()) {
      address = Fields.hex(w.get(i).getText());
      i++;
    }
    Optional<TaskRef> task = Optional.empty();
    for (; i < w.size(); i++) {
      if (w.get(i).AT_ADDR() != null && i + 1 < w.size()) {
        address = Fields.hex(w.get(i + 1).getText());
      } else if (w.get(i).BY_TASK() != null && i + 1 < w.size()) {
        task = Optional.of(Fields.task(draft.lineTextFrom(w.get(i + 1).getStart())));
        break;
      }
    }
    access(op(opToken), size, address, task);
    return null;
  }

  @Override
  public Void visitPointerTagExact(PointerTagExactContext p) {
    tags(new MemoryTags(inner(p.pointer.getText()), inner(p.memory.getText())));
    return null;
  }

  @Override
  public Void visitPointerTagLoose(PointerTagLooseContext p) {
    return null;
  }

  private void tags(MemoryTags t) {
    draft.tags = Optional.of(t);
    draft.access = draft.access.map(a -> new Access(a.op(), a.size(), a.address(), a.task(), draft.tags));
  }

  private static String inner(String tag) {
    return tag.substring(1, tag.length() - 1);
  }

  // ---------------------------------------------------------------------------------------------
  // Stacks

  @Override
  public Void visitCallTrace(CallTraceContext c) {
    Token label = c.CALL_TRACE().getSymbol();
    stack(StackRole.ACCESS, draft.lineTextFrom(label), c.stackBody(), Optional.empty());
    draft.arch.callTrace(label.getText());
    // "Call Trace: ..": the person who posted it cut the frames.
    if (c.lineWord().stream().anyMatch(w -> isDots(w.getText()))) {
      draft.elided.add(Elision.FRAMES);
    }
    return null;
  }

  static boolean isDots(String w) {
    return w.length() >= 2 && w.chars().allMatch(ch -> ch == '.');
  }

  @Override
  public Void visitAllocStack(AllocStackContext a) {
    stack(StackRole.ALLOC, draft.lineText(a.allocHeading()), a.stackBody(), Headings.alloc(a.allocHeading()));
    return null;
  }

  @Override
  public Void visitFreeStack(FreeStackContext f) {
    stack(StackRole.FREE, draft.lineText(f.freeHeading()), f.stackBody(), Headings.free(f.freeHeading()));
    return null;
  }

  @Override
  public Void visitAuxStack(AuxStackContext a) {
    stack(StackRole.AUX, draft.lineTextFrom(a.AUX_STACK().getSymbol()), a.stackBody(), Optional.empty());
    return null;
  }

  private void stack(StackRole role, String label, StackBodyContext body, Optional<StackOrigin> origin) {
    StackCollector c = draft.collector();
    c.body(body);
    if (c.elided()) {
      draft.elided.add(Elision.FRAMES);
    }
    draft.addStack(new Stack(role, label, origin, c.frames(), c.unavailable()));
  }

  // "(stack is not available)" right after a label belongs to the stack before it.
  @Override
  public Void visitUnavailableLine(UnavailableLineContext u) {
    if (!draft.stacks.isEmpty()) {
      Stack last = draft.stacks.remove(draft.stacks.size() - 1);
      draft.stacks.add(new Stack(last.role(), last.label(), last.origin(), last.frames(), true));
    }
    return null;
  }

  // Frames without a heading: the access stack of arm and of some pasted reports; elsewhere (the
  // frame of a stack variable, "created by:" of a vmalloc area) they describe the address.
  @Override
  public Void visitImplicitTrace(ImplicitTraceContext t) {
    StackCollector c = draft.collector();
    c.implicitTrace(t);
    if (!draft.hasStack(StackRole.ACCESS) && !c.frames().isEmpty()) {
      Stack s = new Stack(StackRole.ACCESS, "", Optional.empty(), c.frames(), false);
      draft.addStack(s);
      implicitAccess = s;
      if (c.elided()) {
        draft.elided.add(Elision.FRAMES);
      }
    }
    return null;
  }


  // ---------------------------------------------------------------------------------------------
  // The object, the region, variables, the page, the shadow

  @Override
  public Void visitObjectExact(ObjectExactContext o) {
    objectAddress = Fields.address(o.addr);
    if (o.cacheLine() != null) {
      visit(o.cacheLine());
    }
    return null;
  }

  @Override
  public Void visitObjectOld(ObjectOldContext o) {
    objectAddress = Fields.address(o.addr);
    cache = Optional.of(o.cache.getText());
    objectSize = Fields.decimal(o.size);
    return null;
  }

  @Override
  public Void visitObjectLoose(ObjectLooseContext o) {
    List<LineWordContext> w = o.lineWord();
    if (!w.isEmpty()) {
      objectAddress = Fields.hex(w.get(0).getText());
    }
    if (o.cacheLine() != null) {
      visit(o.cacheLine());
    }
    return null;
  }

  @Override
  public Void visitCacheExact(CacheExactContext c) {
    cache = Optional.of(c.cache.getText());
    objectSize = Fields.decimal(c.size);
    return null;
  }

  @Override
  public Void visitCacheLoose(CacheLooseContext c) {
    List<LineWordContext> w = c.lineWord();
    if (!w.isEmpty() && w.get(0).WORD() != null && cache.isEmpty()) {
      cache = Optional.of(w.get(0).getText());
    }
    return null;
  }

  @Override
  public Void visitLocatedExact(LocatedExactContext l) {
    pendingDistance = Fields.decimal(l.distance).orElse(0);
    RelationContext r = l.relation();
    pendingRelation = r.TO_THE_RIGHT_OF() != null ? RegionRelation.RIGHT
        : r.TO_THE_LEFT_OF() != null ? RegionRelation.LEFT : RegionRelation.INSIDE;
    if (l.regionLine() != null) {
      visit(l.regionLine());
    }
    return null;
  }

  @Override
  public Void visitLocatedLoose(LocatedLooseContext l) {
    pendingRelation = null;
    if (l.regionLine() != null) {
      visit(l.regionLine());
    }
    return null;
  }

  // " allocated 64-byte region [ffff888012a4a080, ffff888012a4a0c0)"; the state word since 6.2.
  @Override
  public Void visitRegionExact(RegionExactContext r) {
    String[] head = r.REGION().getText().strip().split("[ \t]+");
    String state = head.length >= 3 ? head[0] : "";
    String sizeWord = head[head.length - 2];
    OptionalLong size = Fields.decimal(sizeWord.substring(0, sizeWord.indexOf('-')));
    OptionalLong start = Fields.hex(r.start.getText());
    OptionalLong end = Fields.hex(r.end.getText());
    if (pendingRelation != null && size.isPresent() && start.isPresent() && end.isPresent()) {
      region = Optional.of(new BuggyRegion(pendingRelation, Math.max(pendingDistance, 0), size.getAsLong(),
          state, start.getAsLong(), end.getAsLong()));
    }
    pendingRelation = null;
    return null;
  }

  @Override
  public Void visitRegionLoose(RegionLooseContext r) {
    pendingRelation = null;
    return null;
  }

  @Override
  public Void visitVariableDesc(VariableDescContext v) {
    if (v.frameLine() != null && v.frameLine().FRAME() != null) {
      var d = ((FrameToken) v.frameLine().FRAME().getSymbol()).frame();
      StringBuilder b = new StringBuilder(d.function());
      d.offset().ifPresent(o -> b.append("+0x").append(Long.toHexString(o)));
      d.size().ifPresent(z -> b.append("/0x").append(Long.toHexString(z)));
      variable = Optional.of(b.toString());
    }
    return null;
  }

  @Override
  public Void visitStackOwnerExact(StackOwnerExactContext s) {
    stackOwner = Optional.of(draft.lineTextFrom(s.task.getStart()));
    return null;
  }

  @Override
  public Void visitVirtualMappingDesc(VirtualMappingDescContext v) {
    return null;
  }

  // dump_page() and, with page_owner, "page last allocated via order 0, ..." / "page last free pid 1
  // tgid 1 stack trace:" each followed by a stack.
  @Override
  public Void visitPageDesc(PageDescContext p) {
    String intro = draft.lineText(p).substring(p.PAGE_INTRO().getText().length()).strip();
    if (!intro.isEmpty()) {
      page.add(intro);
    }
    StackCollector owner = null;
    StackRole ownerRole = null;
    String ownerLabel = "";
    for (PageLineContext line : p.pageLine()) {
      if (line.textLine() != null) {
        String text = draft.lineText(line.textLine());
        if (text.startsWith("page last allocated") || text.startsWith("page last free")) {
          flushOwner(owner, ownerRole, ownerLabel);
          owner = text.contains("missing") ? null : draft.collector();
          ownerRole = text.startsWith("page last allocated") ? StackRole.PAGE_ALLOC : StackRole.PAGE_FREE;
          ownerLabel = text;
        } else if (text.startsWith("page_owner")) {
          // "page_owner tracks the page as allocated" / "page_owner info is not present": a statement
          // about the page, not a stack (it made an empty page-free stack: testdata/logs/kasan/
          // slab-use-after-free-x86_64-irq-aux-page-owner.log).
          flushOwner(owner, ownerRole, ownerLabel);
          owner = null;
          page.add(text);
        } else if (owner == null) {
          page.add(text);
        }
      } else if (owner != null && line.frameLine() != null) {
        owner.frame(line.frameLine());
      } else if (owner != null && line.inlineLine() != null) {
        owner.inline(line.inlineLine());
      }
    }
    flushOwner(owner, ownerRole, ownerLabel);
    return null;
  }

  private void flushOwner(StackCollector owner, StackRole role, String label) {
    if (owner != null) {
      draft.stacks.add(new Stack(role, label, Optional.empty(), owner.frames(), false));
    }
  }

  @Override
  public Void visitShadowDump(ShadowDumpContext s) {
    List<String> rows = new ArrayList<>();
    int buggy = -1;
    int caret = -1;
    for (ShadowLineContext line : s.shadowLine()) {
      if (line instanceof ShadowRowContext r) {
        String row = draft.lineText(r);
        if (row.startsWith(">")) {
          buggy = rows.size();
          row = row.substring(1);
        }
        rows.add(row.strip().replaceAll("[ \t]+", " "));
      } else if (line instanceof ShadowCaretContext c && buggy >= 0 && caret < 0) {
        // The caret sits under the bad byte; the row body starts one column in (after ' ' or '>').
        caret = c.CARET().getSymbol().getCharPositionInLine() - 1;
      }
    }
    shadow = Optional.of(new ShadowDump(rows, buggy, caret));
    return null;
  }

  @Override
  public Void visitTextLine(TextLineContext t) {
    String text = draft.lineText(t);
    draft.arch.text(text);
    // Before 5.11: "addr ffffc9000145fd5f is located in stack of task insmod/2271 at offset 0 in
    // frame:" (testdata/logs/kasan/alloca-out-of-bounds-x86_64-syslog.log).
    int in = text.indexOf(" is located in stack of task ");
    int at = text.lastIndexOf(" at offset ");
    if (text.startsWith("addr ") && in > 0 && at > in && stackOwner.isEmpty()) {
      stackOwner = Optional.of(text.substring(in + " is located in stack of task ".length(), at).strip());
    }
    return null;
  }

  // The shared helpers of the stack headings.
  static final class Headings {
    private Headings() {} // no instance

    static Optional<StackOrigin> alloc(AllocHeadingContext h) {
      return switch (h) {
        case AllocByTaskContext a -> origin(Fields.integer(a.pid), OptionalInt.empty(), OptionalDouble.empty());
        case AllocByTaskOnCpuContext a -> origin(Fields.integer(a.pid), Fields.integer(a.cpu), seconds(a.time));
        case AllocOldContext a -> origin(pid(a.pidLine()), OptionalInt.empty(), OptionalDouble.empty());
        case AllocSlubContext a -> slub(a.slubTrack());
        case AllocLooseContext a -> origin(pid(a.pidLine()), OptionalInt.empty(), OptionalDouble.empty());
        default -> Optional.empty();
      };
    }

    static Optional<StackOrigin> free(FreeHeadingContext h) {
      return switch (h) {
        case FreeByTaskContext a -> origin(Fields.integer(a.pid), OptionalInt.empty(), OptionalDouble.empty());
        case FreeByTaskOnCpuContext a -> origin(Fields.integer(a.pid), Fields.integer(a.cpu), seconds(a.time));
        case FreeOldContext a -> origin(pid(a.pidLine()), OptionalInt.empty(), OptionalDouble.empty());
        case FreeSlubContext a -> slub(a.slubTrack());
        case FreeLooseContext a -> origin(pid(a.pidLine()), OptionalInt.empty(), OptionalDouble.empty());
        default -> Optional.empty();
      };
    }

    private static OptionalInt pid(PidLineContext p) {
      return p instanceof PidExactContext e ? Fields.integer(e.pid) : OptionalInt.empty();
    }

    // "53.123456s:"
    private static OptionalDouble seconds(Token t) {
      String s = t.getText();
      try {
        return OptionalDouble.of(Double.parseDouble(s.substring(0, s.length() - 2)));
      } catch (NumberFormatException e) {
        return OptionalDouble.empty();
      }
    }

    // mm/slub.c print_track(): "age=12 cpu=0 pid=1".
    private static Optional<StackOrigin> slub(SlubTrackContext t) {
      OptionalInt cpu = t.CPU_EQ() == null ? OptionalInt.empty() : Fields.integer(t.CPU_EQ().getText().substring(4));
      OptionalInt pid = t.PID_EQ() == null ? OptionalInt.empty() : Fields.integer(t.PID_EQ().getText().substring(4));
      return origin(pid, cpu, OptionalDouble.empty());
    }

    private static Optional<StackOrigin> origin(OptionalInt pid, OptionalInt cpu, OptionalDouble seconds) {
      if (pid.isEmpty() && cpu.isEmpty() && seconds.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new StackOrigin(pid, cpu, seconds));
    }
  }
}
