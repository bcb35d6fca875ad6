package dev.ktriage.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parts of a hung-task report (kernel/hung_task.c check_hung_task()): which task, for how long,
 * and where it blocks.
 *
 * @param kind blocked, blocked in I/O wait, or can't die
 * @param task the hung task
 * @param seconds the timeout it exceeded
 * @param state the task state sched_show_task() printed ({@code D}, {@code R})
 * @param blockedIn the frame the task blocks in: the hang anchor (a {@code rtnl_lock} or
 *     {@code synchronize_rcu} it waits for, else the first frame that is not scheduler, locking or
 *     waiting code)
 * @param heldLocks the locks the hung task holds, from {@code Showing all locks held in the system:}
 */
public record HungTaskDetails(HangKind kind, TaskRef task, OptionalLong seconds, Optional<String> state,
    Optional<String> blockedIn, List<LockRef> heldLocks) implements ReportDetails {
  public HungTaskDetails {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(task);
    heldLocks = List.copyOf(heldLocks);
  }
}
