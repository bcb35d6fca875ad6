package dev.ktriage.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The parts of a {@code BUG:} line of the kernel's own consistency checks (scheduler, spinlock
 * debugging, workqueues, mm and dcache teardown), or of a header no format knows.
 *
 * @param check what the line says went wrong, without its variable parts ({@code scheduling while
 *     atomic}, {@code spinlock bad magic}, {@code using smp_processor_id() in preemptible code})
 * @param task the task the line names ({@code on CPU#0, syz-executor/5123}, {@code code: comm/pid})
 * @param cpu the CPU the line names
 * @param site where the check fired, when the line names a source position ({@code at
 *     include/linux/sched/mm.h:274})
 * @param function a function the report names as the culprit: {@code caller is f+0x1/0x2},
 *     {@code last function: f}, {@code Preemption disabled at: f+0x1/0x2}, the stack protector's
 *     {@code Kernel stack is corrupted in: f+0x1/0x2}
 * @param subject what the check was about: a spinlock's {@code lock: X, .magic: ...} line, the mount of
 *     {@code [unmount of ramfs ramfs]}, the rss counter's {@code type:MM_FILEPAGES val:1}
 * @param held the locks the report says are held
 */
public record KernelBugDetails(String check, Optional<TaskRef> task, OptionalInt cpu, Optional<SourceLocation> site,
    Optional<String> function, Optional<String> subject, List<LockRef> held) implements ReportDetails {
  public KernelBugDetails {
    Objects.requireNonNull(check);
    held = List.copyOf(held);
  }
}
