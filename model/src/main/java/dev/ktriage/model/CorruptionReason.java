package dev.ktriage.model;

/** Why a report is marked corrupted. Stable identifiers: they appear in JSON as lowercase-with-dashes. */
public enum CorruptionReason {
  /** The log ended before the report did. */
  TRUNCATED,
  /** Another oops started before the report was complete. */
  INTERRUPTED_BY_OOPS,
  /** The report has no stack trace at all. */
  NO_STACK_TRACE,
  /** Every frame of the access stack is plumbing, so no guilty frame could be chosen. */
  NO_GUILTY_FRAME,
  /** The header is of a form ktriage (like syzkaller) cannot turn into a full title. */
  UNRECOGNIZED_HEADER,
  /** The access line ({@code Read of size N at addr X}) is missing or unreadable. */
  NO_ACCESS_LINE,
  /** A stack started ({@code Freed by task N:}) but no frames followed. */
  EMPTY_STACK,
  /** Lines of another console context were merged into the report's lines. */
  MERGED_LINES,
  /**
   * A line the report's kind always prints is missing: the lock being acquired, the code that
   * released a lock, the source position of a suspicious RCU use.
   */
  MISSING_PART,
  /** A fault-injection stack ({@code should_fail}) is printed in the middle of the report. */
  FAULT_INJECTION;

  /** The JSON spelling: {@code interrupted-by-oops}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
