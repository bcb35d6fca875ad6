package dev.ktriage.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of a lockdep report (kernel/locking/lockdep.c): the locks and how they were taken.
 *
 * @param kind which report
 * @param task the task the report is about ({@code syz-executor.1/9021 is trying to acquire lock:})
 * @param lock the lock the report is about: being acquired (deadlocks, wait context, nested lock),
 *     released (bad unlock balance), changing state (irq inversion, inconsistent state) or freed
 * @param holding the locks printed as already held: {@code but task is already holding lock:},
 *     {@code and this task is already holding:}, {@code but this task is not holding:}
 * @param chain the dependency chain of a circular report, {@code #N} from highest to 0 as printed
 * @param held the task's held locks ({@code 2 locks held by syz/1:}, {@code #0: ...})
 * @param usage the usage transition or order: {@code {HARDIRQ-ON-W} -> {IN-HARDIRQ-W}}, {@code
 *     SOFTIRQ-safe -> SOFTIRQ-unsafe}
 * @param rcuSite suspicious RCU usage: where ({@code net/tipc/bearer.c:68})
 * @param rcuMessage suspicious RCU usage: what ({@code suspicious rcu_dereference_protected() usage!})
 * @param limit the table that ran out ({@code MAX_STACK_TRACE_ENTRIES})
 */
public record LockdepDetails(LockdepKind kind, Optional<TaskRef> task, Optional<LockRef> lock, List<LockRef> holding,
    List<LockDependency> chain, List<LockRef> held, Optional<String> usage, Optional<SourceLocation> rcuSite,
    Optional<String> rcuMessage, Optional<String> limit) implements ReportDetails {
  public LockdepDetails {
    Objects.requireNonNull(kind);
    holding = List.copyOf(holding);
    chain = List.copyOf(chain);
    held = List.copyOf(held);
  }
}
