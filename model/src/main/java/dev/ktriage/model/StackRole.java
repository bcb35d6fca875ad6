package dev.ktriage.model;

/** What a stack in a report stands for. */
public enum StackRole {
  /**
   * The stack of the bad access ({@code Call Trace:} right after the KASAN header); for the other
   * oops kinds the stack the report is about: the warning's or BUG's call trace, the hung task's,
   * the stalled CPU's interrupted code.
   */
  ACCESS,
  /** {@code Allocated by task N:}. */
  ALLOC,
  /** {@code Freed by task N:}. */
  FREE,
  /**
   * {@code Last potentially related work creation:}, {@code Second to last ...} and their
   * {@code call_rcu()} variants: auxiliary stacks that KASAN records with kasan_record_aux_stack().
   */
  AUX,
  /** KCSAN's first racing access (the one printed first). */
  RACE_1,
  /** KCSAN's second racing access. */
  RACE_2,
  /**
   * With page_owner: {@code page last allocated via order 0, ...} in the page description. It tells
   * how the page was obtained, not where the bug is; identity and clustering should ignore it.
   */
  PAGE_ALLOC,
  /** With page_owner: {@code page last free pid 1 tgid 1 stack trace:}. Not part of identity either. */
  PAGE_FREE,
  /**
   * KMSAN's {@code Uninit was stored to memory at:}: where the uninitialized value was copied on its
   * way to the use (mm/kmsan/report.c kmsan_print_origin(), one per link of the origin chain).
   */
  UNINIT_STORE,
  /**
   * KMSAN's {@code Uninit was created at:} (the allocation) or {@code Local variable X created at:}
   * (the stack variable's function): where the uninitialized memory came from.
   */
  ORIGIN,
  /**
   * A link of a lockdep dependency chain ({@code -> #1 (&lock){+.+.}:}): where that lock order was
   * first recorded, long before the report.
   */
  LOCK_CHAIN,
  /**
   * A stack lockdep printed for a lock state ({@code {HARDIRQ-ON-W} state was registered at:}, the
   * irq-usage stacks of the shortest dependency path).
   */
  LOCK_STATE,
  /**
   * Another task's or CPU's stack printed with the report: NMI backtraces of the other CPUs, the RCU
   * grace-period kthread's dump, a second task dump. Context, not the bug's identity.
   */
  OTHER
}
