package dev.ktriage.cli.fastpath;

import dev.ktriage.cli.symbolize.Addr2lineInput;
import dev.ktriage.grammar.frame.FrameSyntax;
import dev.ktriage.symbolizer.FrameQuery;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fast path of {@link Addr2lineInput#parse}: a line that is exactly {@code name+0xoff} or
 * {@code name+0xoff/0xsize} (ASCII, no blanks, no module, no console prefix), the shape scripts
 * and benchmarks feed by the hundred thousand, decoded by {@link FrameSyntax#plain}. Anything else
 * is left to the general frame parser, which answers the same for these lines (checked by
 * {@code PlainFrameTest}) but costs several times more per line: sanitizing, prefix splitting and
 * the recognizer's copies.
 */
public final class PlainFrame {
  private PlainFrame() {
    // no instance
  }

  /**
   * The query for a plain frame line, or null when the line is not one (the caller then uses the
   * general parser).
   *
   * @param exact {@code --exact}: look the frame up at its own address rather than the call before it
   */
  public static FrameQuery parse(String line, boolean exact) {
    FrameSyntax.FuncRef f = FrameSyntax.plain(line);
    return f == null ? null
        : new FrameQuery(f.name(), f.offset(), f.size(), Optional.empty(), OptionalLong.empty(), !exact);
  }
}
