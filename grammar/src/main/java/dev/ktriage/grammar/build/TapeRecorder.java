package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.FrameToken;
import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.LockToken;
import dev.ktriage.grammar.frame.DecodedFrame;
import dev.ktriage.grammar.frame.DecodedLock;
import dev.ktriage.grammar.title.TraceTape;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTreeListener;
import org.antlr.v4.runtime.tree.ParseTreeWalker;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Records the lines of an oops report, from its header on, as a {@link TraceTape}: each line's kind
 * is what its first token says (a frame, a faulting pc, a stack heading, a lock), and the frame and
 * lock tokens carry what their decoders read. The oops families' titles are read from the tape by
 * {@link dev.ktriage.grammar.title.FrameRecipe}s, in printed order, as syzkaller reads the report.
 *
 * <p>Not thread-safe; one instance per island.
 */
final class TapeRecorder implements ParseTreeListener {

  private final ReportDraft draft;
  private final List<TraceTape.Entry> entries = new ArrayList<>();
  private boolean lineStart = true;

  TapeRecorder(ReportDraft draft) {
    this.draft = draft;
  }

  /** The tape of the lines from {@code from} (the header rule) to the end of the tree {@code all}. */
  TraceTape record(ParserRuleContext all, ParserRuleContext from) {
    ParseTreeWalker.DEFAULT.walk(this, all);
    int start = from.getStart().getLine();
    return new TraceTape(entries.stream().filter(e -> e.logLine() >= draft.logLine(start)).toList());
  }

  @Override
  public void visitTerminal(TerminalNode node) {
    Token t = node.getSymbol();
    if (t.getType() == KernelReportLexer.NL) {
      lineStart = true;
      return;
    }
    if (!lineStart && t.getType() == KernelReportLexer.LOCATION && t instanceof FrameToken f) {
      located(f);
      return;
    }
    if (t.getType() == Token.EOF || !lineStart) {
      return;
    }
    lineStart = false;
    entries.add(entry(t));
    caller(t).ifPresent(entries::add);
  }

  // An arm line "[<pc>] (callee) from [<lr>] (caller+0x1/0x2)" names two functions, and syzkaller's
  // frame patterns take both, callee first: in an unbroken trace each caller is the next line's
  // callee, but the caller before an "Exception stack" (__dabt_svc, the entry that took the fault)
  // is on no line of its own, and syzkaller blames it when the callees are all plumbing (h-oops-c).
  private java.util.Optional<TraceTape.Entry> caller(Token t) {
    if (t.getType() != KernelReportLexer.FRAME || !(t instanceof FrameToken f) || f.frame().callee().isEmpty()
        || f.frame().function().isEmpty()) {
      return java.util.Optional.empty();
    }
    DecodedFrame d = f.frame();
    return java.util.Optional.of(new TraceTape.Entry(TraceTape.Kind.FRAME, d.function(), frameLike(d), d.reliable(),
        d.address().isPresent(), draft.logLine(t.getLine()), draft.lineTextFrom(t)));
  }

  // A header that names a code location (the stack protector's panic message): the line's entry names its
  // function, so a recipe can take it as a candidate as syzkaller takes a header's capture.
  private void located(FrameToken t) {
    DecodedFrame d = t.frame();
    if (entries.isEmpty() || d.function().isEmpty() || !d.hasSymbol() || Fields.bareAddress(d.function())) {
      return;
    }
    TraceTape.Entry last = entries.get(entries.size() - 1);
    if (last.kind() == TraceTape.Kind.TEXT && last.function().isEmpty() && last.logLine() == draft.logLine(t.getLine())) {
      entries.set(entries.size() - 1, new TraceTape.Entry(TraceTape.Kind.TEXT, d.function(), frameLike(d), true,
          d.address().isPresent(), last.logLine(), last.text()));
    }
  }

  @Override
  public void visitErrorNode(ErrorNode node) {
    visitTerminal(node);
  }

  @Override
  public void enterEveryRule(ParserRuleContext ctx) {
    // only lines matter
  }

  @Override
  public void exitEveryRule(ParserRuleContext ctx) {
    // only lines matter
  }

  private TraceTape.Entry entry(Token t) {
    long line = draft.logLine(t.getLine());
    String text = draft.lineTextFrom(t);
    if (t instanceof FrameToken f) {
      DecodedFrame d = f.frame();
      if (t.getType() == KernelReportLexer.REGISTER) {
        if (d.source() == DecodedFrame.Source.PC_REGISTER) {
          return new TraceTape.Entry(TraceTape.Kind.PC, d.function(), frameLike(d), true, d.address().isPresent(),
              line, text);
        }
        return new TraceTape.Entry(TraceTape.Kind.TEXT, "", false, true, false, line, text);
      }
      if (t.getType() == KernelReportLexer.FRAME) {
        // An arm line "(callee) from (caller+0x1/0x2)": the callee's entry (the caller's follows it).
        if (d.callee().isPresent()) {
          DecodedFrame.Callee c = d.callee().get();
          boolean like = c.offset().isPresent() || c.function().indexOf('.') > 0 || d.offset().isPresent();
          return new TraceTape.Entry(TraceTape.Kind.FRAME, c.function(), like, d.reliable(), c.address().isPresent(),
              line, text);
        }
        return new TraceTape.Entry(TraceTape.Kind.FRAME, d.function(), frameLike(d), d.reliable(),
            d.address().isPresent() && d.hasSymbol(), line, text);
      }
      return new TraceTape.Entry(TraceTape.Kind.TEXT, "", false, true, false, line, text); // inlined callees
    }
    if (t instanceof LockToken l) {
      DecodedLock lock = l.lock();
      String fn = lock.atCodeLocation() ? lock.at().get().function() : "";
      return new TraceTape.Entry(TraceTape.Kind.LOCK, fn, lock.atCodeLocation(), true, lock.atPc(), line, text);
    }
    // A user-mode pc ("RIP: 0033:0x7f12..."), or one printed as "(null)": no kernel function, but a
    // pc line all the same.
    if (text.startsWith("RIP: ") || text.startsWith("IP: ") || text.startsWith("EIP: ")) {
      return new TraceTape.Entry(TraceTape.Kind.PC, "", false, true, false, line, text);
    }
    if (stackStart(text)) {
      return new TraceTape.Entry(TraceTape.Kind.HEADING, "", false, true, false, line, text);
    }
    // "    last function: addrconf_dad_work": the work function a workqueue report names.
    if (t.getType() == KernelReportLexer.LAST_FUNCTION) {
      String fn = text.substring(text.indexOf(':') + 1).strip();
      return new TraceTape.Entry(TraceTape.Kind.TEXT, fn, !fn.isEmpty(), true, false, line, text);
    }
    return new TraceTape.Entry(TraceTape.Kind.TEXT, "", false, true, false, line, text);
  }

  /**
   * Whether a line starts a new stack where syzkaller's stack parsing stops: {@code Call Trace}
   * (anywhere in the line: it gets glued after other output), {@code Allocated by task N:} and
   * {@code Freed by task N:} (and their pre-4.11 forms), kmemleak's {@code backtrace:} (not lockdep's
   * {@code stack backtrace:}). arm64's {@code Call trace:} and arm's {@code Backtrace:} are not among
   * them: a recipe finds them, but parsing goes on through them.
   */
  static boolean stackStart(String text) {
    if (text.contains("Call Trace") || text.contains("Allocated by task ") || text.startsWith("Allocated:")
        || text.contains("Freed by task ") || text.startsWith("Freed:")) {
      return true;
    }
    int b = text.indexOf(" backtrace:");
    return b >= 0 ? b == 0 || text.charAt(b - 1) != 'k' : text.startsWith("backtrace:");
  }

  // syzkaller's frame pattern wants the name followed by an offset or a compiler suffix.
  private static boolean frameLike(DecodedFrame d) {
    return d.hasSymbol() && (d.offset().isPresent() || d.function().indexOf('.') > 0);
  }
}
