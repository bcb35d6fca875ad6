package dev.ktriage.grammar.antlr;

import dev.ktriage.grammar.frame.DecodedFrame;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.TokenSource;
import org.antlr.v4.runtime.misc.Pair;

/**
 * A token that {@link KernelReportLexerBase} made from a frame line or a header's location: its text
 * as printed, and what {@link dev.ktriage.grammar.frame.FrameSyntax} decoded from it, so that nothing
 * after the lexer reads the text again.
 */
public final class FrameToken extends CommonToken {

  private final transient DecodedFrame frame;

  FrameToken(Pair<TokenSource, CharStream> source, int type, int start, int stop, DecodedFrame frame) {
    super(source, type, DEFAULT_CHANNEL, start, stop);
    this.frame = frame;
  }

  /** What the token's text says. */
  public DecodedFrame frame() {
    return frame;
  }
}
