package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.FrameToken;
import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.KernelReportParser.CallTraceContext;
import dev.ktriage.grammar.antlr.KernelReportParser.ChainLinkContext;
import dev.ktriage.grammar.antlr.KernelReportParser.ElisionLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.HeldLockLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.ImplicitTraceContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LeadLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockActionLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LockLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.OopsLeadContext;
import dev.ktriage.grammar.antlr.KernelReportParser.OopsLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.OopsReportContext;
import dev.ktriage.grammar.antlr.KernelReportParser.OopsSectionContext;
import dev.ktriage.grammar.antlr.KernelReportParser.RegisterLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.TextLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.UsageStackContext;
import dev.ktriage.grammar.antlr.KernelReportParserBaseVisitor;
import dev.ktriage.grammar.antlr.LockToken;
import dev.ktriage.grammar.frame.DecodedFrame;
import dev.ktriage.grammar.frame.DecodedLock;
import dev.ktriage.model.Elision;
import dev.ktriage.model.Frame;
import dev.ktriage.model.LockRef;
import dev.ktriage.model.ReportDetails;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.Token;

/**
 * What the oops families (WARN(), lockdep, hung tasks, stalls, the kernel's BUG: checks) share: their
 * reports' sections. Each family's visitor extends it with its header and its details; this class
 * reads the lead-in (the cut-here block), the context lines, the stacks (the first is the report's
 * own, the ones after it other tasks' and cpus'), lockdep's lock lines in their places (the task's
 * action, the locks already held, the held-locks lists, the dependency chain), and the lines that
 * name a function or a task, and records the report's lines for its title ({@link TapeRecorder}).
 *
 * <p>Not thread-safe; one instance per island.
 */
abstract class OopsVisitor extends KernelReportParserBaseVisitor<Void> {

  /** Where a lock line stands: what the line before it announced. */
  enum LockPlace {
    /** Right after the task's action ({@code is trying to acquire lock:}): the report's lock. */
    ACTION,
    /** After {@code but task is already holding lock:} and its siblings. */
    HOLDING,
    /** After {@code N locks held by task:}: the entries of that list. */
    HELD_LIST,
    /** Anywhere else. */
    OTHER
  }

  /** A lock line in its place, with the log line that announced its list (for the held-locks lists). */
  record PlacedLock(LockPlace place, LockRef lock, String listOwner, DecodedLock decoded) {}

  protected final ReportDraft draft;
  private final ContextLines context;
  /** The warning's or report's own message: the lead-in's lines after the cut-here rule, and the lines right after the header. */
  protected final List<String> message = new ArrayList<>();
  /** Every lock line, in order and place. */
  protected final List<PlacedLock> locks = new ArrayList<>();
  /** The task's action lines ({@code syz/1 is trying to acquire lock:}), as printed. */
  protected final List<Token> actions = new ArrayList<>();
  /** The lines of the oops line kinds, by their first token. */
  protected final List<Token> lines = new ArrayList<>();
  /** The first kernel faulting pc ({@code RIP:}, {@code pc :}) after the header. */
  protected Optional<DecodedFrame> pc = Optional.empty();
  private LockPlace place = LockPlace.OTHER;
  private String listOwner = "";
  private boolean afterHeader;
  private boolean messageOpen;

  OopsVisitor(ReportDraft draft) {
    this.draft = draft;
    this.context = new ContextLines(draft);
  }

  /** The family's details, once the tree was visited. */
  abstract ReportDetails details();

  @Override
  public Void visitOopsReport(OopsReportContext ctx) {
    if (ctx.oopsLead() != null) {
      visit(ctx.oopsLead());
    }
    visit(ctx.oopsHeader());
    afterHeader = true;
    messageOpen = true;
    for (OopsSectionContext s : ctx.oopsSection()) {
      boolean text = s.textLine() != null;
      if (!text && s.NL() == null) {
        messageOpen = false;
      }
      if (s.contextLine() != null) {
        s.contextLine().accept(context);
      } else if (text && messageOpen) {
        message.add(draft.lineText(s.textLine()));
      } else {
        visit(s);
      }
    }
    draft.tape = new TapeRecorder(draft).record(ctx, ctx.oopsHeader());
    finishStacks();
    return null;
  }

  @Override
  public Void visitOopsLead(OopsLeadContext ctx) {
    for (LeadLineContext l : ctx.leadLine()) {
      if (l.textLine() != null) {
        message.add(draft.lineText(l.textLine()));
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Stacks: the first is the report's own; the family may give others a role (lockdep's chain)

  /** The role of the next call trace: the report's own stack first, the other cpus' and tasks' after it. */
  protected StackRole nextTraceRole() {
    return draft.hasStack(StackRole.ACCESS) ? StackRole.OTHER : StackRole.ACCESS;
  }

  /** Lets the family move stack roles once every stack is known (a stall's own stack is the interrupted one). */
  protected void finishStacks() {
    // most families' first stack is their own
  }

  @Override
  public Void visitCallTrace(CallTraceContext c) {
    Token label = c.CALL_TRACE().getSymbol();
    stack(nextTraceRole(), draft.lineTextFrom(label), c);
    draft.arch.callTrace(label.getText());
    return null;
  }

  @Override
  public Void visitImplicitTrace(ImplicitTraceContext t) {
    StackCollector c = draft.collector();
    c.implicitTrace(t);
    pcIn(t.stackBody());
    if (!c.frames().isEmpty()) {
      draft.addStack(new Stack(nextTraceRole(), "", Optional.empty(), c.frames(), c.unavailable()));
    }
    return null;
  }

  @Override
  public Void visitChainLink(ChainLinkContext c) {
    lock(LockPlace.OTHER, ((LockToken) c.LOCK_CHAIN().getSymbol()).lock());
    StackCollector s = draft.collector();
    s.body(c.stackBody());
    draft.addStack(new Stack(StackRole.LOCK_CHAIN, draft.lineTextFrom(c.LOCK_CHAIN().getSymbol()), Optional.empty(),
        s.frames(), s.unavailable()));
    return null;
  }

  @Override
  public Void visitUsageStack(UsageStackContext c) {
    StackCollector s = draft.collector();
    s.body(c.stackBody());
    draft.addStack(new Stack(StackRole.LOCK_STATE, draft.lineTextFrom(c.USAGE_AT().getSymbol()), Optional.empty(),
        s.frames(), s.unavailable()));
    return null;
  }

  private void stack(StackRole role, String label, CallTraceContext c) {
    StackCollector s = draft.collector();
    s.body(c.stackBody());
    if (s.elided()) {
      draft.elided.add(Elision.FRAMES);
    }
    pcIn(c.stackBody());
    draft.addStack(new Stack(role, label, Optional.empty(), s.frames(), s.unavailable()));
  }

  // A faulting pc printed inside a trace (x86 before 5.x printed the exception's registers there).
  private void pcIn(dev.ktriage.grammar.antlr.KernelReportParser.StackBodyContext body) {
    if (body == null) {
      return;
    }
    for (var l : body.stackLine()) {
      if (l.registerLine() != null) {
        register(l.registerLine());
      }
    }
  }

  @Override
  public Void visitRegisterLine(RegisterLineContext r) {
    register(r);
    return null;
  }

  private void register(RegisterLineContext r) {
    if (!afterHeader || pc.isPresent() || r.REGISTER() == null) {
      return;
    }
    DecodedFrame d = ((FrameToken) r.REGISTER().getSymbol()).frame();
    if (d.source() == DecodedFrame.Source.PC_REGISTER && d.hasSymbol()) {
      pc = Optional.of(d);
    }
  }

  // "..." alone is where a person cut the report; lockdep prints its own lines that start with
  // dots ("... which became HARDIRQ-irq-safe at:").
  @Override
  public Void visitElisionLine(ElisionLineContext e) {
    if (e.lineWord().isEmpty()) {
      draft.elided.add(Elision.LINES);
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Lock lines in their places

  @Override
  public Void visitLockActionLine(LockActionLineContext a) {
    actions.add(a.action);
    place = LockPlace.ACTION;
    return null;
  }

  @Override
  public Void visitLockLine(LockLineContext l) {
    lock(place, ((LockToken) l.LOCK().getSymbol()).lock());
    return null;
  }

  @Override
  public Void visitHeldLockLine(HeldLockLineContext l) {
    lock(LockPlace.HELD_LIST, ((LockToken) l.LOCK_HELD().getSymbol()).lock());
    return null;
  }

  private void lock(LockPlace where, DecodedLock d) {
    LockRef ref = new LockRef(d.index(), d.address(), d.lockClass(), d.usage(),
        d.at().map(DecodedFrame::function).filter(f -> !f.isEmpty()), d.at().flatMap(DecodedFrame::location));
    // syzbot's symbolized reports print a lock once per inlined callee of where it was taken, the
    // real frame last: the same lock again replaces the entry.
    if (!locks.isEmpty()) {
      PlacedLock last = locks.get(locks.size() - 1);
      if (last.place() == where && last.lock().lockClass().equals(ref.lockClass())
          && last.lock().index().equals(ref.index()) && last.lock().address().equals(ref.address())) {
        locks.set(locks.size() - 1, new PlacedLock(where, ref, listOwner, d));
        return;
      }
    }
    locks.add(new PlacedLock(where, ref, listOwner, d));
  }

  @Override
  public Void visitOopsLine(OopsLineContext o) {
    Token start = o.oopsLineStart().getStart();
    lines.add(start);
    switch (start.getType()) {
      case KernelReportLexer.LOCK_HOLDING -> place = LockPlace.HOLDING;
      case KernelReportLexer.LOCKS_HELD_BY -> {
        place = LockPlace.HELD_LIST;
        listOwner = draft.lineTextFrom(start);
      }
      default -> place = LockPlace.OTHER;
    }
    return null;
  }

  @Override
  public Void visitTextLine(TextLineContext t) {
    return null; // noise between sections; the message was taken above
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers for the families

  /** The locks in {@code where}, in order. */
  protected List<LockRef> locksIn(LockPlace where) {
    return locks.stream().filter(l -> l.place() == where).map(PlacedLock::lock).toList();
  }

  /** The first line whose first token is {@code type}, as printed from that token on. */
  protected Optional<String> lineOf(int type) {
    return lines.stream().filter(t -> t.getType() == type).findFirst().map(draft::lineTextFrom);
  }

  /** The text after the token that starts a line of kind {@code type}. */
  protected Optional<String> restOf(int type) {
    return lines.stream().filter(t -> t.getType() == type).findFirst()
        .map(t -> draft.lineTextFrom(t).substring(Math.min(t.getText().length(), draft.lineTextFrom(t).length())).strip());
  }

  /** The function of a location word such as {@code f+0x1/0x2}, as printed. */
  static Optional<String> function(String word) {
    return dev.ktriage.grammar.frame.FrameSyntax.location(word, 0).map(l -> l.frame().function())
        .filter(f -> !f.isEmpty());
  }

  /** The frames of the report's own stack. */
  protected List<Frame> ownFrames() {
    return draft.stacks.stream().filter(s -> s.role() == StackRole.ACCESS).findFirst().map(Stack::frames)
        .orElse(List.of());
  }
}
