package dev.ktriage.model;

/** The kernel facility that printed a report. */
public enum Tool {
  /** Kernel Address Sanitizer: {@code BUG: KASAN: ...} (and the 2015 {@code BUG: AddressSanitizer: ...}). */
  KASAN,
  /** Kernel Concurrency Sanitizer: {@code BUG: KCSAN: ...}. */
  KCSAN,
  /** Kernel Memory Sanitizer: {@code BUG: KMSAN: ...}, uses of uninitialized memory. */
  KMSAN,
  /** Kernel Electric-Fence, the sampling memory-safety detector: {@code BUG: KFENCE: ...}. */
  KFENCE,
  /** Undefined Behaviour Sanitizer: {@code UBSAN: ...} (lib/ubsan.c). */
  UBSAN
}
