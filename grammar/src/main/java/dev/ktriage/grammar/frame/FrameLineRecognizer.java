package dev.ktriage.grammar.frame;

import java.util.Optional;

/**
 * The console lines that a symbolizer rewrites: those that name a code location by symbol and
 * offset or by raw address, in any shape {@link FrameSyntax} knows. Lines that already carry their
 * source location without an offset (decode_stacktrace.sh output, syzkaller's {@code [inline]}
 * lines) are not among them: there is nothing left to look up.
 *
 * <p>Stateless and thread-safe.
 */
public final class FrameLineRecognizer {

  /** The frame named by {@code body} (the text after the console prefix), if it is one. */
  public Optional<FrameLine> recognize(String body) {
    // Every such line has "0x" (func+0x.., raw 0x..) or "[<" (raw bracket): a cheap filter for the
    // overwhelming majority of log lines, which symbolize copies through unchanged.
    if (body.indexOf("0x") < 0 && body.indexOf("[<") < 0) {
      return Optional.empty();
    }
    return FrameSyntax.line(body).flatMap(DecodedFrame::frameLine);
  }
}
