package dev.ktriage.grammar.scan;

/** Receives the lines that {@link LogScanner} decodes; see there for which lines those are. */
public interface LineListener {

  /** Whether the listener needs every line now (a report is being collected), or only banners. */
  boolean wantsEveryLine();

  /**
   * One decoded line.
   *
   * @param number 1-based line number
   * @param text the line without its terminator, possibly cut to {@link LogScanner#MAX_LINE} chars
   * @param truncated whether the line was longer than that and was cut
   */
  void line(long number, String text, boolean truncated);

  /**
   * A line longer than {@link LogScanner#MAX_LINE} was skipped without being decoded (no report was
   * open, so nothing of it was needed); it still counts as a cut line.
   */
  default void skippedLongLine() {}

  /** The input ended after {@code lines} lines. */
  void end(long lines);
}
