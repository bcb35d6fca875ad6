package dev.ktriage.grammar.antlr;

import dev.ktriage.grammar.frame.DecodedFrame;
import dev.ktriage.grammar.frame.DecodedLock;
import dev.ktriage.grammar.frame.FrameSyntax;
import dev.ktriage.grammar.frame.LockSyntax;
import java.util.Optional;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.IntStream;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;

/**
 * The hand-written part of {@code KernelReportLexer} (grammars-v4's base-class idiom): frame lines
 * and header locations are not lexed by grammar rules but read by {@link FrameSyntax}, the decoder
 * that {@code symbolize} and {@code addr2line} use too, and become one token each:
 * <ul>
 *   <li>at the start of a line, a call-trace frame becomes {@code FRAME}, syzkaller's inlined
 *       callee {@code INLINE_FRAME}, a register naming code ({@code RIP:}, {@code pc :},
 *       {@code --- interrupt: 300 at}) {@code REGISTER};</li>
 *   <li>in a header, after {@code in} (and KCSAN's {@code /}, and the stack protector's panic message), the
 *       location becomes {@code LOCATION}.</li>
 * </ul>
 * The token ({@link FrameToken}) carries what was decoded. Lockdep's lock lines are read the same way
 * by {@link LockSyntax} and become {@code LOCK}, {@code LOCK_HELD} or {@code LOCK_CHAIN} tokens
 * ({@link LockToken}). Everything else is lexed by the grammar.
 *
 * <p>Not thread-safe, like every ANTLR lexer.
 */
public abstract class KernelReportLexerBase extends Lexer {

  private int lastType = Token.INVALID_TYPE;

  protected KernelReportLexerBase(CharStream input) {
    super(input);
  }

  @Override
  public Token nextToken() {
    Token t = frameToken();
    if (t == null) {
      t = super.nextToken();
    }
    if (t.getChannel() == Token.DEFAULT_CHANNEL) {
      lastType = t.getType();
    }
    return t;
  }

  private Token frameToken() {
    int start = _input.index();
    if (_input.LA(1) == IntStream.EOF) {
      return null;
    }
    if (_mode == DEFAULT_MODE && (start == 0 || _input.LA(-1) == '\n')) {
      int end = lineEnd(start);
      String line = _input.getText(Interval.of(start, end - 1));
      Optional<DecodedLock> lock = LockSyntax.line(line);
      if (lock.isPresent()) {
        int type = switch (lock.get().shape()) {
          case HELD -> KernelReportLexer.LOCK_HELD;
          case CHAIN -> KernelReportLexer.LOCK_CHAIN;
          case LOCK -> KernelReportLexer.LOCK;
        };
        return emitLock(type, start, end, lock.get());
      }
      Optional<DecodedFrame> f = FrameSyntax.line(line);
      // Header lines are lexed by the grammar; KCSAN's "reordered to:" line is not a stack frame.
      if (f.isEmpty() || f.get().source() == DecodedFrame.Source.REPORT_HEADER
          || f.get().source() == DecodedFrame.Source.RACE_HEADER || f.get().source() == DecodedFrame.Source.REORDERED) {
        return null;
      }
      int type = switch (f.get().source()) {
        case INLINE -> KernelReportLexer.INLINE_FRAME;
        case PC_REGISTER, LINK_REGISTER -> KernelReportLexer.REGISTER;
        default -> KernelReportLexer.FRAME;
      };
      return emitFrame(type, start, end, f.get());
    }
    if (_mode == KernelReportLexer.HEADER && (lastType == KernelReportLexer.IN || lastType == KernelReportLexer.SLASH
        || lastType == KernelReportLexer.PANIC_STACK_PROTECTOR)) {
      int first = _input.LA(1);
      if (first == ' ' || first == '\t' || first == '\u00a0') {
        return null; // the grammar skips the blanks; the location comes with the next token
      }
      lastType = Token.INVALID_TYPE; // one location per IN or SLASH
      int end = lineEnd(start);
      String rest = _input.getText(Interval.of(start, end - 1));
      Optional<FrameSyntax.Located> loc = FrameSyntax.location(rest, 0);
      if (loc.isPresent() && loc.get().end() > 0) {
        return emitFrame(KernelReportLexer.LOCATION, start, start + loc.get().end(), loc.get().frame());
      }
    }
    return null;
  }

  // The index of the '\n' that ends the line starting at `start`, or the end of the input.
  private int lineEnd(int start) {
    int k = 1;
    int c;
    while ((c = _input.LA(k)) != '\n' && c != IntStream.EOF) {
      k++;
    }
    return start + k - 1;
  }

  private Token emitLock(int type, int start, int end, DecodedLock lock) {
    LockToken t = new LockToken(_tokenFactorySourcePair, type, start, end - 1, lock);
    t.setLine(getLine());
    t.setCharPositionInLine(getCharPositionInLine());
    _input.seek(end);
    getInterpreter().setCharPositionInLine(getCharPositionInLine() + (end - start));
    return t;
  }

  private Token emitFrame(int type, int start, int end, DecodedFrame frame) {
    FrameToken t = new FrameToken(_tokenFactorySourcePair, type, start, end - 1, frame);
    t.setLine(getLine());
    t.setCharPositionInLine(getCharPositionInLine());
    _input.seek(end);
    getInterpreter().setCharPositionInLine(getCharPositionInLine() + (end - start));
    return t;
  }
}
