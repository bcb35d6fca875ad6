package dev.ktriage.model;

/**
 * A part of a report that the person who posted it left out. Reports pasted into mails and bug
 * trackers are trimmed by hand: {@code ...} lines, {@code Call Trace: ..}, whole stacks removed. When
 * the header and the access line are whole, such a report still names its bug and is not corrupted;
 * what is missing is listed instead. Stable identifiers: they appear in JSON as lowercase-with-dashes.
 */
public enum Elision {
  /** The access stack was left out: no frame follows the header and access line. */
  CALL_TRACE,
  /** Frames of a stack were replaced by {@code ...} or {@code ..}. */
  FRAMES,
  /** Lines between the report's sections were replaced by {@code ...}. */
  LINES;

  /** The JSON spelling: {@code call-trace}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
