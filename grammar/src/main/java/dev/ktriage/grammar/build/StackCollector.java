package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.FrameToken;
import dev.ktriage.grammar.antlr.KernelReportParser.FrameLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.ImplicitTraceContext;
import dev.ktriage.grammar.antlr.KernelReportParser.InlineLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.MarkerLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.StackBodyContext;
import dev.ktriage.grammar.antlr.KernelReportParser.StackLineContext;
import dev.ktriage.grammar.frame.DecodedFrame;
import dev.ktriage.model.Frame;
import dev.ktriage.model.FrameContext;
import dev.ktriage.model.InlinedFrame;
import dev.ktriage.model.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongUnaryOperator;

/**
 * Turns the frame lines of one stack into {@link Frame}s: tracks the {@code <IRQ>}/{@code <TASK>}
 * segment markers and attaches syzkaller's {@code callee file.h:3 [inline]} lines (printed before
 * the frame they were inlined into, innermost first) to the next real frame.
 *
 * <p>Not thread-safe; one instance per stack.
 */
final class StackCollector {

  private final LongUnaryOperator logLine;
  private final List<Frame> frames = new ArrayList<>();
  private final List<InlinedFrame> pendingInlines = new ArrayList<>();
  private FrameContext context = FrameContext.UNMARKED;
  private boolean unavailable;
  private boolean sawArmFrame;
  private boolean elided;

  /** @param logLine maps a token's line in the island text to its line in the log */
  StackCollector(LongUnaryOperator logLine) {
    this.logLine = logLine;
  }

  List<Frame> frames() {
    return frames;
  }

  boolean unavailable() {
    return unavailable;
  }

  /** Whether a person cut frames out of this stack ({@code ...} among them). */
  boolean elided() {
    return elided;
  }

  /** A trace without a heading: its first line (a frame, an inlined frame or a marker), then its body. */
  void implicitTrace(ImplicitTraceContext t) {
    if (t.frameLine() != null) {
      frame(t.frameLine());
    } else if (t.inlineLine() != null) {
      inline(t.inlineLine());
    } else if (t.markerLine() != null) {
      marker(t.markerLine());
    }
    body(t.stackBody());
  }

  void body(StackBodyContext body) {
    if (body == null) {
      return;
    }
    for (StackLineContext line : body.stackLine()) {
      line(line);
    }
  }

  void line(StackLineContext line) {
    if (line.frameLine() != null) {
      frame(line.frameLine());
    } else if (line.inlineLine() != null) {
      inline(line.inlineLine());
    } else if (line.markerLine() != null) {
      marker(line.markerLine());
    } else if (line.unavailableLine() != null) {
      unavailable = true;
    } else if (line.elisionLine() != null) {
      elided = true;
    }
  }

  void inline(InlineLineContext ctx) {
    DecodedFrame d = ((FrameToken) ctx.INLINE_FRAME().getSymbol()).frame();
    pendingInlines.add(new InlinedFrame(d.function(), d.location()));
  }

  void marker(MarkerLineContext ctx) {
    marker(ctx.TRACE_MARKER().getText());
  }

  private void marker(String m) {
    boolean closing = m.startsWith("</");
    String name = m.replace("<", "").replace("/", "").replace(">", "");
    if (closing || name.equals("EOI") || name.equals("EOE")) {
      context = FrameContext.UNMARKED;
      return;
    }
    context = switch (name) {
      case "IRQ" -> FrameContext.IRQ;
      case "SOFTIRQ" -> FrameContext.SOFTIRQ;
      case "NMI" -> FrameContext.NMI;
      case "TASK" -> FrameContext.TASK;
      default -> FrameContext.EXCEPTION; // <#DF>, <#MC>, ...
    };
  }

  void frame(FrameLineContext ctx) {
    if (ctx.exception != null || ctx.FRAME() == null) {
      return; // error recovery built this line from missing tokens; it says nothing reliable
    }
    frame(((FrameToken) ctx.FRAME().getSymbol()).frame(), ctx.FRAME().getSymbol().getLine());
  }

  /** Adds the frame (or, for an arm line, the frames) that one decoded line names. */
  void frame(DecodedFrame d, int tokenLine) {
    d.segment().ifPresent(this::marker); // "<IRQ>  [<ffffffff82101040>] foo+0x4c/0x65" opens the segment
    if (!d.hasSymbol() && d.callee().isEmpty()) {
      // A raw address alone ("0xc000000007c6ff50 (unreliable)", a kernel without kallsyms) names no
      // function: a report's stacks keep frames that name one; symbolize and addr2line resolve it.
      return;
    }
    // "[<c0123456>] (callee) from [<c0123400>] (caller+0x10/0x14)": the callee ran at pc, the caller
    // will run at lr. The callee of each line is the caller of the line before, so only the first
    // arm line of a stack contributes its callee.
    if (d.callee().isPresent()) {
      if (!sawArmFrame) {
        DecodedFrame.Callee c = d.callee().get();
        add(c.function(), c.offset(), c.size(), c.module(), Optional.empty(), true, c.address(),
            Optional.empty(), tokenLine);
      }
      sawArmFrame = true;
    }
    // decode_stacktrace.sh prints the inline chain in the frame's own parentheses, innermost first;
    // the last location is the frame's own. The inner ones carry no function names, so they do not
    // become inlined frames (whose entries name their callee).
    add(d.function(), d.offset(), d.size(), d.module(), d.moduleBuildId(), d.reliable(), d.address(),
        d.location(), tokenLine);
  }

  private void add(String name, OptionalLong off, OptionalLong size, Optional<String> module,
      Optional<String> buildId, boolean reliable, OptionalLong address, Optional<SourceLocation> location,
      int tokenLine) {
    List<InlinedFrame> inlined = List.copyOf(pendingInlines);
    pendingInlines.clear();
    frames.add(new Frame(name, off, size, module, buildId, reliable, address, context, location,
        inlined, logLine.applyAsLong(tokenLine)));
  }
}
