package dev.ktriage.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The parts of a CPU stall report: RCU's stall detector (kernel/rcu/tree_stall.h) or the soft-lockup
 * watchdog (kernel/watchdog.c).
 *
 * @param kind which message
 * @param flavour the RCU flavour ({@code rcu_preempt}, {@code rcu_sched}, {@code rcu_bh}, {@code rcu_tasks})
 * @param stalledCpus the CPUs reported stalled ({@code 1-....: (10500 ticks this GP)}, {@code { 1-... }},
 *     the soft lockup's {@code CPU#1})
 * @param detectedBy the CPU that noticed ({@code (detected by 0, t=...)}); for a self-detected stall the
 *     stalled CPU itself
 * @param duration how long: jiffies for RCU ({@code t=10502 jiffies}), seconds for a soft lockup
 * @param task the task running on the stalled CPU (the soft lockup's {@code [comm:pid]}, or the
 *     {@code CPU:} line of the stalled CPU's backtrace)
 * @param blockedTasks tasks that block the grace period ({@code P30749/1:b..l}), for preemptible RCU
 * @param anchor the frame the stall is blamed on: the caller of the first dispatcher frame (syscall
 *     entry, work item, softirq, timer, file operation) of the code the CPU was running when the
 *     stall was noticed; see {@code anchorFrom}
 * @param anchorFrom where the anchor was found: {@code interrupted} (the frames after the timer
 *     interrupt's entry, as syzkaller looks), {@code nmi-backtrace} (the stalled CPU's NMI backtrace,
 *     which newer kernels print without an interrupt entry), {@code task} (a blocking task's stack)
 */
public record StallDetails(StallKind kind, Optional<String> flavour, List<Integer> stalledCpus, OptionalInt detectedBy,
    OptionalLong duration, Optional<TaskRef> task, List<String> blockedTasks, Optional<String> anchor,
    Optional<String> anchorFrom) implements ReportDetails {
  public StallDetails {
    Objects.requireNonNull(kind);
    stalledCpus = List.copyOf(stalledCpus);
    blockedTasks = List.copyOf(blockedTasks);
  }
}
