package dev.ktriage.grammar.build;

import dev.ktriage.grammar.frame.FrameLines;
import dev.ktriage.grammar.antlr.KernelReportParser.ArmFrameContext;
import dev.ktriage.grammar.antlr.KernelReportParser.FrameDetailContext;
import dev.ktriage.grammar.antlr.KernelReportParser.FrameLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.InlineLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.MarkerLineContext;
import dev.ktriage.grammar.antlr.KernelReportParser.PlainFrameContext;
import dev.ktriage.grammar.antlr.KernelReportParser.StackBodyContext;
import dev.ktriage.grammar.antlr.KernelReportParser.StackLineContext;
import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.model.Frame;
import dev.ktriage.model.FrameContext;
import dev.ktriage.model.InlinedFrame;
import dev.ktriage.model.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongUnaryOperator;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

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
    }
  }

  void inline(InlineLineContext ctx) {
    if (ctx.INLINE_FRAME() == null) {
      return;
    }
    String text = ctx.INLINE_FRAME().getText();
    Optional<SourceLocation> loc = FrameLines.inlineSrc(text).map(s -> new SourceLocation(s.file(), s.line()));
    pendingInlines.add(new InlinedFrame(FrameLines.inlineName(text), loc));
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
    if (ctx.exception != null) {
      return; // error recovery built this line from missing tokens; it says nothing reliable
    }
    if (ctx instanceof PlainFrameContext plain) {
      plain(plain);
    } else if (ctx instanceof ArmFrameContext arm) {
      arm(arm);
    }
  }

  private void plain(PlainFrameContext ctx) {
    OptionalLong address = OptionalLong.empty();
    // powerpc prints "[sp] [pc]": the last bracket before the name is the code address.
    for (ParseTree child : ctx.children) {
      if (child instanceof TerminalNode t) {
        int type = t.getSymbol().getType();
        if (type == KernelReportLexer.PC || type == KernelReportLexer.SP || type == KernelReportLexer.S390_PC) {
          address = FrameLines.bracketAddress(t.getText());
        } else if (type == KernelReportLexer.MARKED_PC) {
          // "<IRQ>  [<ffffffff82101040>]": the marker opens the segment this frame is the first of.
          String text = t.getText();
          int bracket = text.indexOf('[');
          marker(text.substring(0, text.indexOf('>') + 1));
          address = FrameLines.bracketAddress(text.substring(bracket));
        }
      }
    }
    boolean reliable = ctx.UNRELIABLE() == null;
    String name;
    OptionalLong off = OptionalLong.empty();
    OptionalLong size = OptionalLong.empty();
    Optional<SourceLocation> location = Optional.empty();
    Token first;
    if (ctx.FUNC() == null && ctx.DECODED_FUNC() == null) {
      return;
    }
    if (ctx.FUNC() != null) {
      FrameLines.FuncRef f = FrameLines.funcRef(ctx.FUNC().getText());
      name = f.name();
      off = f.offset();
      size = f.size();
      first = ctx.FUNC().getSymbol();
    } else {
      String text = ctx.DECODED_FUNC().getText();
      name = FrameLines.decodedName(text);
      location = FrameLines.decodedSrc(text).map(s -> new SourceLocation(s.file(), s.line()));
      first = ctx.DECODED_FUNC().getSymbol();
    }
    Details d = details(ctx.frameDetail());
    if (d.unreliable) {
      reliable = false;
    }
    if (location.isEmpty()) {
      location = d.location;
    }
    add(name, off, size, d, reliable, address, location, first);
  }

  // "[<c0123456>] (callee) from [<c0123400>] (caller+0x10/0x14)": the callee ran at pc, the caller
  // will run at lr. The callee of each line is the caller of the line before, so only the first
  // line contributes its callee.
  private void arm(ArmFrameContext ctx) {
    List<TerminalNode> funcs = ctx.ARM_FUNC();
    if (funcs.isEmpty()) {
      return;
    }
    List<OptionalLong> addrs = new ArrayList<>();
    for (ParseTree child : ctx.children) {
      if (child instanceof TerminalNode t) {
        int type = t.getSymbol().getType();
        if (type == KernelReportLexer.PC || type == KernelReportLexer.SP) {
          addrs.add(FrameLines.bracketAddress(t.getText()));
        }
      }
    }
    Details d = details(ctx.frameDetail());
    boolean hasFrom = ctx.FROM() != null;
    if (!sawArmFrame || !hasFrom || funcs.size() < 2) {
      FrameLines.FuncRef callee = FrameLines.armFunc(funcs.get(0).getText());
      OptionalLong pc = addrs.isEmpty() ? OptionalLong.empty() : addrs.get(0);
      add(callee.name(), callee.offset(), callee.size(), hasFrom ? Details.NONE : d, true, pc,
          Optional.empty(), funcs.get(0).getSymbol());
    }
    if (hasFrom && funcs.size() >= 2) {
      FrameLines.FuncRef caller = FrameLines.armFunc(funcs.get(1).getText());
      OptionalLong lr = addrs.size() >= 2 ? addrs.get(1) : OptionalLong.empty();
      add(caller.name(), caller.offset(), caller.size(), d, true, lr, d.location, funcs.get(1).getSymbol());
    }
    sawArmFrame = true;
  }

  private void add(String name, OptionalLong off, OptionalLong size, Details d, boolean reliable,
      OptionalLong address, Optional<SourceLocation> location, Token token) {
    List<InlinedFrame> inlined = List.copyOf(pendingInlines);
    pendingInlines.clear();
    frames.add(new Frame(name, off, size, d.module, d.buildId, reliable, address, context, location,
        inlined, logLine.applyAsLong(token.getLine())));
  }

  private record Details(Optional<String> module, Optional<String> buildId,
      Optional<SourceLocation> location, boolean unreliable) {
    static final Details NONE = new Details(Optional.empty(), Optional.empty(), Optional.empty(), false);
  }

  private static Details details(List<FrameDetailContext> details) {
    Optional<String> module = Optional.empty();
    Optional<String> buildId = Optional.empty();
    Optional<SourceLocation> location = Optional.empty();
    boolean unreliable = false;
    for (FrameDetailContext d : details) {
      Token t = d.getStart();
      switch (t.getType()) {
        case KernelReportLexer.MODULE -> {
          FrameLines.ModuleRef m = FrameLines.module(t.getText());
          module = Optional.of(m.name());
          buildId = m.buildId();
        }
        case KernelReportLexer.SRC, KernelReportLexer.PAREN_SRC -> {
          if (location.isEmpty()) {
            location = FrameLines.src(t.getText()).map(s -> new SourceLocation(s.file(), s.line()));
          }
        }
        case KernelReportLexer.SP -> {
          // After the function, "[e1000]" is a module whose name happens to be all hex digits.
          if (module.isEmpty()) {
            module = Optional.of(t.getText().substring(1, t.getText().length() - 1));
          }
        }
        case KernelReportLexer.UNRELIABLE_TAG, KernelReportLexer.UNRELIABLE -> unreliable = true;
        default -> { }
      }
    }
    return new Details(module, buildId, location, unreliable);
  }
}
