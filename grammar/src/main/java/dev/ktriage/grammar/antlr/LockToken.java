package dev.ktriage.grammar.antlr;

import dev.ktriage.grammar.frame.DecodedLock;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.TokenSource;
import org.antlr.v4.runtime.misc.Pair;

/**
 * A token that {@link KernelReportLexerBase} made from a lockdep lock line: its text as printed, and
 * what {@link dev.ktriage.grammar.frame.LockSyntax} decoded from it.
 */
public final class LockToken extends CommonToken {

  private final transient DecodedLock lock;

  LockToken(Pair<TokenSource, CharStream> source, int type, int start, int stop, DecodedLock lock) {
    super(source, type, DEFAULT_CHANNEL, start, stop);
    this.lock = lock;
  }

  /** What the token's text says. */
  public DecodedLock lock() {
    return lock;
  }
}
