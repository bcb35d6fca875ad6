package dev.ktriage.grammar.build;

import dev.ktriage.grammar.frame.FrameSyntax;
import dev.ktriage.grammar.antlr.FrameToken;
import dev.ktriage.grammar.scan.Island;
import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.KernelReportParser.*;
import dev.ktriage.grammar.log.ConsoleLine;
import dev.ktriage.grammar.log.ConsolePrefix;
import dev.ktriage.model.Access;
import dev.ktriage.model.AccessOp;
import dev.ktriage.model.BuggyObject;
import dev.ktriage.model.BuggyRegion;
import dev.ktriage.model.Frame;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.KasanMode;
import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.KcsanKind;
import dev.ktriage.model.KernelContext;
import dev.ktriage.model.LogTime;
import dev.ktriage.model.MemoryTags;
import dev.ktriage.model.RaceAccess;
import dev.ktriage.model.RegionRelation;
import dev.ktriage.model.ShadowDump;
import dev.ktriage.model.SourceSpan;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackOrigin;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.TaskRef;
import dev.ktriage.model.Title;
import dev.ktriage.model.Tool;
import dev.ktriage.model.ValueChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Builds a {@link dev.ktriage.model.Report} (without its final title and corruption verdict) from
 * the parse tree of one island. Each method reads one kind of line; the grammar has already decided
 * which line is which and which frames belong to which stack.
 *
 * <p>Not thread-safe; one instance per island.
 */
public final class ReportBuilder {

  private final Island island;
  private final String sourcePath;

  // What the report said, filled while walking the tree.
  private String header = "";
  private String bugType = "";
  private Optional<String> faultLocation = Optional.empty();
  // Kernels before 4.11 print the address in the header ("... in f+0x1/0x2 at addr X", "... on
  // address X") and not in the access line ("Read of size 4 by task t/1").
  private OptionalLong headerAddress = OptionalLong.empty();
  private Optional<Access> access = Optional.empty();
  private Optional<MemoryTags> tags = Optional.empty();
  private final List<Stack> stacks = new ArrayList<>();
  private OptionalInt cpu = OptionalInt.empty();
  private OptionalInt pid = OptionalInt.empty();
  private Optional<String> comm = Optional.empty();
  private Optional<String> release = Optional.empty();
  private Optional<String> build = Optional.empty();
  private Optional<String> taint = Optional.empty();
  private Optional<String> hardware = Optional.empty();
  private OptionalLong objectAddress = OptionalLong.empty();
  private Optional<String> cache = Optional.empty();
  private OptionalLong objectSize = OptionalLong.empty();
  private Optional<BuggyRegion> region = Optional.empty();
  private Optional<String> variable = Optional.empty();
  private Optional<String> stackOwner = Optional.empty();
  private final List<String> page = new ArrayList<>();
  private Optional<ShadowDump> shadow = Optional.empty();
  private final List<RaceAccess> raceAccesses = new ArrayList<>();
  private final List<String> kcsanFunctions = new ArrayList<>();
  private Optional<ValueChange> valueChange = Optional.empty();
  private Optional<String> reportedBy = Optional.empty();
  private final ArchHints arch = new ArchHints();
  // An access stack made from frames without a heading, until a real call trace shows up.
  private Stack implicitAccess;
  // Located line waiting for its region line ("... to the right of" + "64-byte region [..)").
  private RegionRelation pendingRelation;
  private long pendingDistance = -1;

  public ReportBuilder(Island island, String sourcePath) {
    this.island = island;
    this.sourcePath = sourcePath;
  }

  /** The report as parsed; title and corruption are decided afterwards by {@link ReportAssessor}. */
  public Report0 build(ReportContext tree) {
    if (tree.kasanReport() != null) {
      kasan(tree.kasanReport());
    } else if (tree.kcsanReport() != null) {
      kcsan(tree.kcsanReport());
    }
    dropImplicitAccessIfTraced();
    return new Report0(island.tool(), bugType, header, access, context(), time(), List.copyOf(stacks),
        island.tool() == Tool.KASAN ? kasanDetails() : kcsanDetails(), span());
  }

  /** A report before titling: every component of {@link dev.ktriage.model.Report} but title and verdict. */
  public record Report0(Tool tool, String bugType, String header, Optional<Access> access, KernelContext context,
      LogTime time, List<Stack> stacks, dev.ktriage.model.ReportDetails details, SourceSpan source) {

    dev.ktriage.model.Report withVerdict(Title title, Optional<dev.ktriage.model.Corruption> corruption,
        boolean complete) {
      return new dev.ktriage.model.Report(tool, bugType, header, title, access, context, time, stacks,
          details, corruption, complete, source);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // KASAN

  private void kasan(KasanReportContext ctx) {
    // With repeated (symbolized) headers, the real one is the last; the others name inlined callees.
    List<KasanHeaderContext> headers = ctx.kasanHeader();
    kasanHeader(headers.get(headers.size() - 1));
    for (KasanSectionContext s : ctx.kasanSection()) {
      if (s.accessLine() != null) {
        accessLine(s.accessLine());
      } else if (s.pointerTagLine() != null) {
        pointerTag(s.pointerTagLine());
      } else if (s.contextLine() != null) {
        contextLine(s.contextLine());
      } else if (s.callTrace() != null) {
        stack(StackRole.ACCESS, s.callTrace().CALL_TRACE().getSymbol(), s.callTrace().stackBody(),
            Optional.empty());
      } else if (s.allocStack() != null) {
        AllocStackContext a = s.allocStack();
        Token label = a.getStart();
        stack(StackRole.ALLOC, label, a.stackBody(), origin(a.lineWord(), a.pidLine()));
      } else if (s.freeStack() != null) {
        FreeStackContext f = s.freeStack();
        Token label = f.getStart();
        stack(StackRole.FREE, label, f.stackBody(), origin(f.lineWord(), f.pidLine()));
      } else if (s.auxStack() != null) {
        stack(StackRole.AUX, s.auxStack().AUX_STACK().getSymbol(), s.auxStack().stackBody(), Optional.empty());
      } else if (s.unavailableLine() != null) {
        markLastStackUnavailable();
      } else if (s.objectLine() != null) {
        objectLine(s.objectLine());
      } else if (s.locatedLine() != null) {
        located(s.locatedLine());
      } else if (s.regionLine() != null) {
        region(s.regionLine());
      } else if (s.variableDesc() != null) {
        if (s.variableDesc().frameLine() != null) {
          variable = Optional.of(firstFuncText(s.variableDesc().frameLine()));
        }
      } else if (s.stackOwnerDesc() != null) {
        stackOwner = Optional.of(words(s.stackOwnerDesc().lineWord()).strip());
      } else if (s.pageDesc() != null) {
        pageDesc(s.pageDesc());
      } else if (s.shadowDump() != null) {
        shadowDump(s.shadowDump());
      } else if (s.implicitTrace() != null) {
        implicitTrace(s.implicitTrace());
      } else if (s.registerLine() != null) {
        arch.text(lineText(s.registerLine()));
      } else if (s.textLine() != null) {
        String text = textOf(s.textLine());
        arch.text(text);
        // Before 5.11: "addr ffffc9000145fd5f is located in stack of task insmod/2271 at offset 0 in
        // frame:" (testdata/logs/kasan/alloca-out-of-bounds-x86_64-syslog.log).
        int in = text.indexOf(" is located in stack of task ");
        int at = text.lastIndexOf(" at offset ");
        if (text.startsWith("addr ") && in > 0 && at > in && stackOwner.isEmpty()) {
          stackOwner = Optional.of(text.substring(in + " is located in stack of task ".length(), at).strip());
        }
      }
    }
  }

  private void kasanHeader(KasanHeaderContext h) {
    header = lineText(h);
    if (h.bugKind() != null) {
      bugType = terminals(h.bugKind().WORD());
    }
    if (h.location() != null && h.location().exception == null) {
      faultLocation = Optional.of(locationName(h.location()));
    }
    headerAddress = OptionalLong.empty();
    for (int i = 0; i + 1 < h.getChildCount(); i++) {
      if (h.getChild(i) instanceof org.antlr.v4.runtime.tree.TerminalNode t
          && (t.getSymbol().getType() == KernelReportLexer.AT_ADDR
              || t.getSymbol().getType() == KernelReportLexer.ON_ADDRESS)) {
        headerAddress = FrameSyntax.hex(h.getChild(i + 1).getText());
      }
    }
  }

  // "Read of size 8 at addr ffff888012345678 by task syz-executor.0/1234", "Read at addr X by task T/1",
  // "Read of size 4 by task syz/1".
  private void accessLine(AccessLineContext a) {
    if (access.isPresent()) {
      return; // a second access line belongs to something else (merged output)
    }
    Token start = a.getStart();
    AccessOp op = start.getText().startsWith("Read") ? AccessOp.READ : AccessOp.WRITE;
    List<Token> w = tokens(a.lineWord());
    OptionalLong size = OptionalLong.empty();
    OptionalLong address = OptionalLong.empty();
    Optional<TaskRef> task = Optional.empty();
    int i = 0;
    if (start.getType() == KernelReportLexer.ACCESS_SIZE && i < w.size()) {
      size = decimal(w.get(i).getText());
      if (size.isPresent()) {
        i++;
      }
    } else if (start.getType() == KernelReportLexer.ACCESS_ADDR && i < w.size()) {
      address = FrameSyntax.hex(w.get(i).getText());
      i++;
    }
    for (; i < w.size(); i++) {
      Token t = w.get(i);
      if (t.getType() == KernelReportLexer.AT_ADDR && i + 1 < w.size()) {
        address = FrameSyntax.hex(w.get(i + 1).getText());
        i++;
      } else if (t.getType() == KernelReportLexer.BY_TASK) {
        task = Optional.of(task(joinFrom(w, i + 1)));
        break;
      }
    }
    if (address.isEmpty()) {
      address = headerAddress;
    }
    access = Optional.of(new Access(op, size, address, task, tags));
  }

  // "Pointer tag: [74], memory tag: [ff]"
  private void pointerTag(PointerTagLineContext p) {
    String text = words(p.lineWord());
    List<String> inBrackets = new ArrayList<>();
    int i = text.indexOf('[');
    while (i >= 0) {
      int j = text.indexOf(']', i);
      if (j < 0) {
        break;
      }
      inBrackets.add(text.substring(i + 1, j));
      i = text.indexOf('[', j);
    }
    if (inBrackets.size() >= 2) {
      tags = Optional.of(new MemoryTags(inBrackets.get(0), inBrackets.get(1)));
      access = access.map(a -> new Access(a.op(), a.size(), a.address(), a.task(), tags));
    }
  }

  // "Allocated by task 1234:", "Freed by task 1234 on cpu 1 at 53.123456s:", old "Allocated:" + "PID = 1234".
  private static Optional<StackOrigin> origin(List<LineWordContext> words, PidLineContext pidLine) {
    List<Token> w = tokens(words);
    OptionalInt pid = OptionalInt.empty();
    OptionalInt cpu = OptionalInt.empty();
    OptionalDouble seconds = OptionalDouble.empty();
    if (!w.isEmpty()) {
      pid = integer(stripColon(w.get(0).getText()));
    }
    for (int i = 0; i < w.size(); i++) {
      Token t = w.get(i);
      if (t.getType() == KernelReportLexer.ON_CPU && i + 1 < w.size()) {
        cpu = integer(stripColon(w.get(i + 1).getText()));
      } else if (t.getText().startsWith("pid=")) {
        pid = integer(t.getText().substring(4)); // SLUB's "INFO: Allocated in f age=1 cpu=0 pid=12"
      } else if (t.getText().startsWith("cpu=")) {
        cpu = integer(t.getText().substring(4));
      } else if (t.getText().equals("at") && i + 1 < w.size()) {
        String s = stripColon(w.get(i + 1).getText());
        if (s.endsWith("s")) {
          s = s.substring(0, s.length() - 1);
        }
        try {
          seconds = OptionalDouble.of(Double.parseDouble(s));
        } catch (NumberFormatException e) {
          // not a time stamp
        }
      }
    }
    if (pid.isEmpty() && pidLine != null) {
      List<Token> p = tokens(pidLine.lineWord());
      if (!p.isEmpty()) {
        pid = integer(p.get(0).getText());
      }
    }
    if (pid.isEmpty() && cpu.isEmpty() && seconds.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new StackOrigin(pid, cpu, seconds));
  }

  private void stack(StackRole role, Token label, StackBodyContext body, Optional<StackOrigin> origin) {
    StackCollector c = new StackCollector(this::logLine);
    c.body(body);
    String labelText = lineTextFrom(label);
    stacks.add(new Stack(role, labelText, origin, c.frames(), c.unavailable()));
    for (Frame f : c.frames()) {
      arch.frame(f.function());
    }
    if (role == StackRole.ACCESS) {
      arch.callTrace(label.getText());
    }
  }

  // "(stack is not available)" right after a label belongs to the stack before it.
  private void markLastStackUnavailable() {
    if (!stacks.isEmpty()) {
      Stack last = stacks.remove(stacks.size() - 1);
      stacks.add(new Stack(last.role(), last.label(), last.origin(), last.frames(), true));
    }
  }

  // Frames without a heading: the access stack of old arm and of some pasted reports; elsewhere
  // (the frame of a stack variable, "created by:" of a vmalloc area) they describe the address.
  private void implicitTrace(ImplicitTraceContext t) {
    StackCollector c = new StackCollector(this::logLine);
    if (t.frameLine() != null) {
      c.frame(t.frameLine());
    } else if (t.inlineLine() != null) {
      c.inline(t.inlineLine());
    } else if (t.markerLine() != null) {
      c.marker(t.markerLine());
    }
    c.body(t.stackBody());
    boolean haveAccess = stacks.stream().anyMatch(s -> s.role() == StackRole.ACCESS);
    if (!haveAccess && !c.frames().isEmpty()) {
      Stack s = new Stack(StackRole.ACCESS, "", Optional.empty(), c.frames(), false);
      stacks.add(s);
      implicitAccess = s;
      for (Frame f : c.frames()) {
        arch.frame(f.function());
      }
    }
  }

  // An implicit trace taken as the access stack gives way to a "Call Trace:" that comes later
  // (syzbot logs where other lines landed between the access line and the call trace).
  private void dropImplicitAccessIfTraced() {
    if (implicitAccess != null && stacks.stream().filter(s -> s.role() == StackRole.ACCESS).count() > 1) {
      stacks.remove(implicitAccess);
    }
  }

  // "The buggy address belongs to the object at X\n which belongs to the cache kmalloc-64 of size 64",
  // old "Object at X, in cache kmalloc-64 size: 64".
  private void objectLine(ObjectLineContext o) {
    if (o.OBJECT_AT() != null || o.OBJECT_OLD() != null) {
      List<Token> w = tokens(o.lineWord());
      if (!w.isEmpty()) {
        objectAddress = FrameSyntax.hex(w.get(0).getText().replace(",", ""));
      }
      cacheWords(w);
      if (o.cacheLine() != null) {
        cacheWords(tokens(o.cacheLine().lineWord()));
      }
    } else {
      cacheWords(tokens(o.lineWord()));
    }
  }

  // "... kmalloc-64 of size 64" (after "which belongs to the cache") or "in cache kmalloc-64 size: 64".
  private void cacheWords(List<Token> w) {
    boolean expectCache = w.size() > 0 && w.get(0).getType() != KernelReportLexer.HEX_NUMBER
        && !looksHex(w.get(0).getText());
    for (int i = 0; i < w.size(); i++) {
      String t = w.get(i).getText();
      if (t.equals("cache") && i + 1 < w.size()) {
        cache = Optional.of(w.get(i + 1).getText().replace(",", ""));
        expectCache = false;
      } else if ((t.equals("size") || t.equals("size:")) && i + 1 < w.size()) {
        objectSize = decimal(w.get(i + 1).getText());
      }
    }
    if (expectCache && cache.isEmpty()) {
      cache = Optional.of(w.get(0).getText());
    }
  }

  // "The buggy address is located 8 bytes to the right of" [+ " allocated 64-byte region [X, Y)"]
  private void located(LocatedLineContext l) {
    String text = words(l.lineWord());
    List<Token> w = tokens(l.lineWord());
    if (!w.isEmpty()) {
      decimal(w.get(0).getText()).ifPresent(d -> pendingDistance = d);
    }
    if (text.contains("to the right of")) {
      pendingRelation = RegionRelation.RIGHT;
    } else if (text.contains("to the left of")) {
      pendingRelation = RegionRelation.LEFT;
    } else if (text.contains("inside of")) {
      pendingRelation = RegionRelation.INSIDE;
    }
    if (l.regionLine() != null) {
      region(l.regionLine());
    }
  }

  // " allocated 64-byte region [ffff888012a4a080, ffff888012a4a0c0)"
  private void region(RegionLineContext r) {
    String head = r.REGION().getText().strip();
    String[] parts = head.split("[ \t]+");
    String state = parts.length >= 3 ? parts[0] : "";
    String sizeWord = parts[parts.length - 2];
    OptionalLong size = decimal(sizeWord.substring(0, sizeWord.indexOf('-')));
    List<Token> w = tokens(r.lineWord());
    OptionalLong start = OptionalLong.empty();
    OptionalLong end = OptionalLong.empty();
    if (w.size() >= 2) {
      start = FrameSyntax.hex(w.get(0).getText().replace("[", "").replace(",", ""));
      end = FrameSyntax.hex(w.get(1).getText().replace(")", ""));
    }
    if (pendingRelation != null && size.isPresent() && start.isPresent() && end.isPresent()) {
      region = Optional.of(new BuggyRegion(pendingRelation, Math.max(pendingDistance, 0), size.getAsLong(),
          state, start.getAsLong(), end.getAsLong()));
    }
    pendingRelation = null;
  }

  private void pageDesc(PageDescContext p) {
    String intro = words(p.lineWord()).strip();
    if (!intro.isEmpty()) {
      page.add(intro);
    }
    StackCollector owner = null;
    StackRole ownerRole = null;
    String ownerLabel = "";
    for (PageLineContext line : p.pageLine()) {
      if (line.textLine() != null) {
        String text = textOf(line.textLine());
        // page_owner: "page last allocated via order 0, ..." / "page last free pid 1 tgid 1 stack trace:"
        if (text.startsWith("page last allocated") || text.startsWith("page last free")) {
          flushOwner(owner, ownerRole, ownerLabel);
          owner = new StackCollector(this::logLine);
          ownerRole = text.startsWith("page last allocated") ? StackRole.PAGE_ALLOC : StackRole.PAGE_FREE;
          ownerLabel = text;
          if (text.contains("missing")) {
            owner = null;
          }
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
  }

  private void flushOwner(StackCollector owner, StackRole role, String label) {
    if (owner != null) {
      stacks.add(new Stack(role, label, Optional.empty(), owner.frames(), false));
    }
  }

  private void shadowDump(ShadowDumpContext s) {
    List<String> rows = new ArrayList<>();
    int buggy = -1;
    int caret = -1;
    for (ShadowLineContext line : s.shadowLine()) {
      if (line.SHADOW_ROW() != null) {
        String row = line.SHADOW_ROW().getText() + " " + words(line.lineWord());
        if (row.startsWith(">")) {
          buggy = rows.size();
          row = row.substring(1);
        }
        rows.add(row.strip());
      } else if (line.CARET() != null && buggy >= 0 && caret < 0) {
        // The caret sits under the bad byte; the row body starts one column in (after ' ' or '>').
        caret = line.CARET().getSymbol().getCharPositionInLine() - 1;
      }
    }
    shadow = Optional.of(new ShadowDump(rows, buggy, caret));
  }

  private KasanDetails kasanDetails() {
    KasanMode mode = KasanMode.GENERIC;
    if (tags.isPresent()) {
      mode = arch.hardwareTags() ? KasanMode.HW_TAGS : KasanMode.SW_TAGS;
    } else if (bugType.equals("invalid-access")) {
      mode = arch.hardwareTags() ? KasanMode.HW_TAGS : KasanMode.SW_TAGS;
    }
    Optional<BuggyObject> object = objectAddress.isPresent() || cache.isPresent() || region.isPresent()
        ? Optional.of(new BuggyObject(objectAddress, cache, objectSize, region))
        : Optional.empty();
    return new KasanDetails(mode, faultLocation, object, variable, stackOwner, page, shadow);
  }

  // ---------------------------------------------------------------------------------------------
  // KCSAN

  private void kcsan(KcsanReportContext ctx) {
    KcsanHeaderContext h = ctx.kcsanHeader();
    header = lineText(h);
    if (h.bugKind() != null) {
      bugType = terminals(h.bugKind().WORD());
    }
    for (LocationContext l : h.location()) {
      kcsanFunctions.add(locationFunction(l));
    }
    for (KcsanSectionContext s : ctx.kcsanSection()) {
      if (s.raceAccess() != null) {
        raceAccess(s.raceAccess().KCSAN_ACCESS().getText(), s.raceAccess().lineWord(), s.raceAccess().stackBody());
      } else if (s.unknownOriginAccess() != null) {
        String text = s.unknownOriginAccess().KCSAN_UNKNOWN_ORIGIN().getText();
        raceAccess(text.substring(text.indexOf("with ") + 5), s.unknownOriginAccess().lineWord(),
            s.unknownOriginAccess().stackBody());
      } else if (s.valueChangedLine() != null) {
        List<Token> w = tokens(s.valueChangedLine().lineWord());
        if (w.size() >= 3) {
          valueChange = Optional.of(new ValueChange(w.get(0).getText(), w.get(2).getText()));
        }
      } else if (s.reportedByLine() != null) {
        reportedBy = Optional.of(words(s.reportedByLine().lineWord()).strip());
      } else if (s.contextLine() != null) {
        contextLine(s.contextLine());
      } else if (s.callTrace() != null) {
        stack(StackRole.ACCESS, s.callTrace().CALL_TRACE().getSymbol(), s.callTrace().stackBody(), Optional.empty());
      } else if (s.registerLine() != null) {
        arch.text(lineText(s.registerLine()));
      } else if (s.textLine() != null) {
        arch.text(textOf(s.textLine()));
      }
    }
  }

  // "write (marked) to 0xffff888012345678 of 8 bytes by task 123 on cpu 0:" (the op part is the token).
  private void raceAccess(String opText, List<LineWordContext> words, StackBodyContext body) {
    String op = opText.substring(0, opText.lastIndexOf(" to ")).strip();
    List<String> qualifiers = new ArrayList<>();
    int paren = op.indexOf(" (");
    String base = paren < 0 ? op : op.substring(0, paren);
    while (paren >= 0) {
      int close = op.indexOf(')', paren);
      if (close < 0) {
        break;
      }
      qualifiers.add(op.substring(paren + 2, close));
      paren = op.indexOf(" (", close);
    }
    AccessOp accessOp = switch (base) {
      case "read" -> AccessOp.READ;
      case "read-write" -> AccessOp.READ_WRITE;
      default -> AccessOp.WRITE; // "write", and the asserts, which forbid writes/accesses by others
    };
    if (base.startsWith("assert")) {
      qualifiers.add(0, base);
    }
    List<Token> w = tokens(words);
    OptionalLong address = OptionalLong.empty();
    OptionalLong size = OptionalLong.empty();
    Optional<TaskRef> task = Optional.empty();
    boolean interrupt = false;
    OptionalInt onCpu = OptionalInt.empty();
    for (int i = 0; i < w.size(); i++) {
      Token t = w.get(i);
      String s = t.getText();
      if (i == 0 && (t.getType() == KernelReportLexer.HEX_NUMBER || looksHex(s))) {
        address = FrameSyntax.hex(s);
      } else if (s.equals("of") && i + 1 < w.size()) {
        size = decimal(w.get(i + 1).getText());
      } else if (t.getType() == KernelReportLexer.BY_TASK && i + 1 < w.size()) {
        OptionalInt p = integer(w.get(i + 1).getText());
        task = Optional.of(new TaskRef("", p));
      } else if (t.getType() == KernelReportLexer.BY_INTERRUPT) {
        interrupt = true;
      } else if (t.getType() == KernelReportLexer.ON_CPU && i + 1 < w.size()) {
        onCpu = integer(stripColon(w.get(i + 1).getText()));
      }
    }
    StackRole role = raceAccesses.isEmpty() ? StackRole.RACE_1 : StackRole.RACE_2;
    raceAccesses.add(new RaceAccess(accessOp, qualifiers, address, size, task, interrupt, onCpu, role));
    StackCollector c = new StackCollector(this::logLine);
    c.body(body);
    stacks.add(new Stack(role, opText.strip() + " " + words(words), Optional.empty(), c.frames(), false));
    for (Frame f : c.frames()) {
      arch.frame(f.function());
    }
  }

  private KcsanDetails kcsanDetails() {
    KcsanKind kind;
    if (bugType.startsWith("assert")) {
      kind = KcsanKind.ASSERT;
    } else if (kcsanFunctions.size() < 2 || raceAccesses.size() == 1 && raceAccessIsUnknownOrigin()) {
      kind = KcsanKind.UNKNOWN_ORIGIN;
    } else {
      kind = KcsanKind.DATA_RACE;
    }
    return new KcsanDetails(kind, kcsanFunctions, raceAccesses, valueChange, reportedBy);
  }

  private boolean raceAccessIsUnknownOrigin() {
    return stacks.stream().anyMatch(s -> s.label().startsWith("race at unknown origin"));
  }

  // ---------------------------------------------------------------------------------------------
  // Shared

  // "CPU: 0 UID: 0 PID: 6659 Comm: syz-executor.0 Tainted: G B W 6.4.0-rc1 #0 PREEMPT(full)"
  private void contextLine(ContextLineContext c) {
    List<Token> w = tokens(c.lineWord());
    if (c.HARDWARE_NAME() != null) {
      hardware = Optional.of(words(c.lineWord()).strip());
      arch.hardware(hardware.get());
      return;
    }
    if (c.TAINTED_LINE() != null) {
      return; // the letters were already on the CPU line; this line only explains them
    }
    if (cpu.isPresent()) {
      return; // a second CPU line (a following oops's) does not describe this report
    }
    int i = 0;
    if (i < w.size()) {
      cpu = integer(w.get(i).getText());
      i++;
    }
    for (; i < w.size(); i++) {
      Token t = w.get(i);
      if (t.getType() == KernelReportLexer.PID_KW && i + 1 < w.size()) {
        pid = integer(w.get(i + 1).getText());
        i++;
      } else if (t.getType() == KernelReportLexer.COMM_KW) {
        StringBuilder name = new StringBuilder();
        int j = i + 1;
        while (j < w.size() && w.get(j).getType() != KernelReportLexer.NOT_TAINTED
            && w.get(j).getType() != KernelReportLexer.TAINTED_KW) {
          if (name.length() > 0) {
            name.append(' ');
          }
          name.append(w.get(j).getText());
          j++;
        }
        comm = Optional.of(name.toString());
        i = j - 1;
      } else if (t.getType() == KernelReportLexer.NOT_TAINTED) {
        taint = Optional.of("");
        releaseFrom(w, i + 1);
        return;
      } else if (t.getType() == KernelReportLexer.TAINTED_KW) {
        StringBuilder flags = new StringBuilder();
        int j = i + 1;
        // Taint flags are single capital letters (G, B, W, ...), padded with spaces.
        while (j < w.size() && w.get(j).getText().length() == 1 && Character.isUpperCase(w.get(j).getText().charAt(0))) {
          flags.append(w.get(j).getText());
          j++;
        }
        taint = Optional.of(flags.toString());
        releaseFrom(w, j);
        return;
      }
    }
  }

  private void releaseFrom(List<Token> w, int i) {
    if (i < w.size()) {
      release = Optional.of(w.get(i).getText());
    }
    if (i + 1 < w.size()) {
      build = Optional.of(joinFrom(w, i + 1));
    }
  }

  private KernelContext context() {
    Optional<String> callerId = island.lines().stream()
        .map(ConsoleLine::prefix)
        .map(ConsolePrefix::callerId)
        .flatMap(Optional::stream)
        .findFirst();
    return new KernelContext(cpu, pid, comm, release, build, taint, hardware, arch.guess(), callerId);
  }

  private LogTime time() {
    ConsolePrefix p = island.lines().get(0).prefix();
    for (ConsoleLine l : island.lines()) {
      if (l.prefix().uptime().isPresent() || l.prefix().wallClock().isPresent()) {
        p = l.prefix();
        break;
      }
    }
    return new LogTime(p.uptime(), p.wallClock());
  }

  private SourceSpan span() {
    List<ConsoleLine> lines = island.lines();
    long last = island.endNumber(lines.size() - 1);
    // Trailing blank lines are not part of the report.
    for (int i = lines.size() - 1; i > 0 && lines.get(i).body().isBlank(); i--) {
      last = island.endNumber(i - 1);
    }
    return new SourceSpan(sourcePath, lines.get(0).number(), last);
  }

  private long logLine(long tokenLine) {
    int i = (int) Math.min(Math.max(tokenLine - 1, 0), island.lines().size() - 1);
    return island.lines().get(i).number();
  }

  // ---------------------------------------------------------------------------------------------
  // Token helpers

  private static List<Token> tokens(List<LineWordContext> words) {
    List<Token> out = new ArrayList<>(words.size());
    for (LineWordContext w : words) {
      out.add(w.getStart());
    }
    return out;
  }

  private static String joinFrom(List<Token> w, int from) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < w.size(); i++) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(w.get(i).getText());
    }
    return b.toString();
  }

  private static String words(List<? extends ParserRuleContext> words) {
    StringBuilder b = new StringBuilder();
    for (ParserRuleContext w : words) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(w.getText());
    }
    return b.toString();
  }

  private static String terminals(List<org.antlr.v4.runtime.tree.TerminalNode> words) {
    StringBuilder b = new StringBuilder();
    for (var w : words) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(w.getText());
    }
    return b.toString();
  }

  /** The text of a whole line rule, from its first token to the end of the line, as printed. */
  private String lineText(ParserRuleContext ctx) {
    return lineTextFrom(ctx.getStart());
  }

  private String lineTextFrom(Token start) {
    int i = Math.min(Math.max(start.getLine() - 1, 0), island.lines().size() - 1);
    String body = island.lines().get(i).body();
    int col = Math.min(start.getCharPositionInLine(), body.length());
    return body.substring(col).strip();
  }

  private String textOf(TextLineContext t) {
    return lineTextFrom(t.getStart());
  }

  // The function and offset as printed: "foo+0x1a/0x40" of "foo+0x1a/0x40 [mod] mm/x.c:12".
  private static String locationName(LocationContext l) {
    String t = l.getText();
    int blank = 0;
    while (blank < t.length() && t.charAt(blank) != ' ' && t.charAt(blank) != '\t') {
      blank++;
    }
    return t.substring(0, blank);
  }

  private static String locationFunction(LocationContext l) {
    if (l.LOCATION() != null) {
      return ((FrameToken) l.LOCATION().getSymbol()).frame().function();
    }
    return l.getText();
  }

  // "global_array+0x28/0x40": the function and offset as printed.
  private static String firstFuncText(FrameLineContext f) {
    if (f.FRAME() == null) {
      return f.getText();
    }
    var d = ((FrameToken) f.FRAME().getSymbol()).frame();
    StringBuilder b = new StringBuilder(d.function());
    d.offset().ifPresent(o -> b.append("+0x").append(Long.toHexString(o)));
    d.size().ifPresent(z -> b.append("/0x").append(Long.toHexString(z)));
    return b.toString();
  }

  private static TaskRef task(String text) {
    String t = text.strip();
    int slash = t.lastIndexOf('/');
    if (slash > 0) {
      OptionalInt pid = integer(t.substring(slash + 1));
      if (pid.isPresent()) {
        return new TaskRef(t.substring(0, slash), pid);
      }
    }
    return new TaskRef(t, OptionalInt.empty());
  }

  private static String stripColon(String s) {
    return s.endsWith(":") ? s.substring(0, s.length() - 1) : s;
  }

  static OptionalLong decimal(String s) {
    String t = stripColon(s.strip());
    if (t.isEmpty() || t.length() > 18) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseLong(t));
  }

  static OptionalInt integer(String s) {
    OptionalLong v = decimal(s);
    return v.isPresent() && v.getAsLong() <= Integer.MAX_VALUE ? OptionalInt.of((int) v.getAsLong())
        : OptionalInt.empty();
  }

  private static boolean looksHex(String s) {
    return FrameSyntax.hex(s).isPresent() && s.length() >= 6;
  }

}
