package dev.ktriage.model;

/** Which stall message it is. Stable identifiers: lowercase-with-dashes in JSON. */
public enum StallKind {
  /** {@code INFO: rcu_preempt self-detected stall on CPU}: the stalled CPU reports itself. */
  RCU_SELF_DETECTED,
  /** {@code INFO: rcu_sched detected stalls on CPUs/tasks:}: another CPU reports the stalled ones. */
  RCU_DETECTED,
  /** {@code INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { 1-... }}. */
  RCU_EXPEDITED,
  /** {@code INFO: rcu_tasks detected stalls on tasks:} (tasks RCU: holdout tasks, not CPUs). */
  RCU_TASKS,
  /** {@code BUG: soft lockup - CPU#0 stuck for 22s! [comm:pid]} (kernel/watchdog.c). */
  SOFT_LOCKUP;

  /** The JSON spelling: {@code rcu-self-detected}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
