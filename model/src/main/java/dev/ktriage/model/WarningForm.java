package dev.ktriage.model;

/**
 * Which form a {@code WARNING:} header had (kernel/panic.c {@code __warn()} over the years, and the
 * x86 unwinder's complaints). Stable identifiers: they appear in JSON as lowercase-with-dashes.
 */
public enum WarningForm {
  /** {@code WARNING: CPU: 1 PID: 2 at net/x.c:12 f+0x1/0x2} (3.12 to 6.18; {@code f+0x1/0x2()} before 4.x). */
  CPU_PID,
  /** {@code WARNING: at net/x.c:12 f+0x1/0x2()} (before 3.12). */
  AT,
  /** {@code WARNING: [cond] net/x.c:12 at f+0x1/0x2, CPU#1: comm/2} (since 2025; the condition is optional). */
  CPU_HASH,
  /** {@code WARNING: kernel stack regs at X in comm:pid has bad 'bp' value Y} (arch/x86/kernel/unwind_frame.c). */
  BAD_STACK_REGS,
  /** {@code WARNING: kernel stack frame pointer at X in comm:pid has bad value Y} (the same unwinder). */
  BAD_FRAME_POINTER,
  /** Any other {@code WARNING:} line: titled with its text. */
  TEXT,
  /** {@code WARNING:} and nothing after it: the rest of the line was lost. */
  BARE;

  /** The JSON spelling: {@code cpu-pid}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
