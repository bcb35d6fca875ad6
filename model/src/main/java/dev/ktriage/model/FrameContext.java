package dev.ktriage.model;

/**
 * The execution context a frame ran in, from the {@code <IRQ>}, {@code <NMI>}, {@code <SOFTIRQ>} and
 * {@code <TASK>} markers that x86 {@code show_trace_log_lvl()} prints around stack segments.
 */
public enum FrameContext {
  /** No marker was in effect (most arm64 traces, and x86 traces before 5.8). */
  UNMARKED,
  TASK,
  IRQ,
  SOFTIRQ,
  NMI,
  /** An exception stack such as {@code <#DF>} or {@code <#MC>}. */
  EXCEPTION
}
