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
  UBSAN,
  /** {@code WARN()} and friends (kernel/panic.c {@code __warn()}), and the unwinder's {@code WARNING:} lines. */
  WARNING,
  /** The lock validator (kernel/locking/lockdep.c), including RCU's {@code suspicious RCU usage}. */
  LOCKDEP,
  /** Spinlock and rwlock debugging (kernel/locking/spinlock_debug.c): {@code BUG: spinlock bad magic ...}. */
  SPINLOCK,
  /** The soft-lockup watchdog (kernel/watchdog.c): {@code BUG: soft lockup - CPU#0 stuck for 22s!}. */
  SOFT_LOCKUP,
  /** The hung task detector (kernel/hung_task.c): {@code INFO: task ... blocked for more than N seconds.}. */
  HUNG_TASK,
  /** RCU's CPU stall detector (kernel/rcu/tree_stall.h): {@code INFO: rcu_preempt self-detected stall on CPU}. */
  RCU_STALL,
  /**
   * Any other {@code BUG:} or {@code INFO:} line of the kernel's own checks (scheduling while atomic,
   * sleeping in atomic context, workqueues, mm and dcache teardown) and header lines no format
   * knows, titled with their text.
   */
  KERNEL,
  /**
   * The kernel memory leak detector (mm/kmemleak.c): objects nothing points to any more, as syzkaller
   * prints them ({@code BUG: memory leak} before each of /sys/kernel/debug/kmemleak's objects).
   */
  KMEMLEAK,
  /** The fuzzer itself ({@code SYZFAIL:}, {@code SYZFATAL:}, its Go runtime's {@code fatal error:}): a failure of syzkaller's executor or manager, no kernel bug. */
  SYZKALLER,
  /**
   * The CPU's fault and trap handlers and BUG(): page faults, general protection and stack segment
   * faults, x86 traps, arm aborts, stack overflows, {@code kernel BUG at}, SLUB's object checks
   * ({@link FaultDetails}). A GPF on a KASAN kernel prints a {@code KASAN:} range line: the report is
   * still this tool's, never KASAN's.
   */
  FAULT
}
