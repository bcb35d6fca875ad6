package dev.ktriage.model;

/**
 * Which lockdep (or RCU lockdep) report it is: kernel/locking/lockdep.c prints one header per kind.
 * Stable identifiers: they appear in JSON as lowercase-with-dashes.
 */
public enum LockdepKind {
  /** {@code possible circular locking dependency detected} (print_circular_bug_header()). */
  CIRCULAR_DEPENDENCY,
  /** {@code possible recursive locking detected} (print_deadlock_bug()). */
  RECURSIVE_LOCKING,
  /** {@code possible irq lock inversion dependency detected} (print_irq_inversion_bug()). */
  IRQ_LOCK_INVERSION,
  /** {@code SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected} (print_bad_irq_dependency()). */
  IRQ_LOCK_ORDER,
  /** {@code inconsistent lock state} (print_usage_bug()). */
  INCONSISTENT_LOCK_STATE,
  /** {@code suspicious RCU usage} (lockdep_rcu_suspicious()). */
  SUSPICIOUS_RCU_USAGE,
  /** {@code bad unlock balance detected!} (print_unlock_imbalance_bug()). */
  BAD_UNLOCK_BALANCE,
  /** {@code held lock freed!} (print_freed_lock_bug()). */
  HELD_LOCK_FREED,
  /** {@code task/pid still has locks held!} (print_held_locks_bug()). */
  LOCKS_STILL_HELD,
  /** {@code Nested lock was not taken} (print_lock_nested_lock_not_held()). */
  NESTED_LOCK_NOT_TAKEN,
  /** {@code lock held when returning to user space!} (lockdep_sys_exit()). */
  LOCK_HELD_RETURNING_TO_USER,
  /** {@code Invalid wait context} (print_lock_invalid_wait_context()). */
  INVALID_WAIT_CONTEXT,
  /** {@code INFO: trying to register non-static key.} (assign_lock_key()). */
  NON_STATIC_KEY,
  /** {@code BUG: MAX_STACK_TRACE_ENTRIES too low!} and the other table limits (lockdep's debug_locks_off). */
  LIMIT_TOO_LOW;

  /** The JSON spelling: {@code circular-dependency}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
