package dev.ktriage.model;

/** Which hung-task message it is (kernel/hung_task.c). Stable identifiers: lowercase-with-dashes in JSON. */
public enum HangKind {
  /** {@code INFO: task comm:pid blocked for more than N seconds.} */
  BLOCKED,
  /** {@code INFO: task comm:pid blocked in I/O wait for more than N seconds.} (since 2025). */
  BLOCKED_IN_IO_WAIT,
  /** {@code INFO: task comm:pid can't die for more than N seconds.} (a patch syzbot's kernels carried). */
  CANT_DIE;

  /** The JSON spelling: {@code blocked-in-io-wait}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
