package dev.ktriage.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of a {@code WARN()} report (kernel/panic.c {@code __warn()}): where the warning fired and
 * what it said.
 *
 * @param form which form the {@code WARNING:} line had
 * @param site the source file and line of the {@code WARN()} ({@code net/ipv4/tcp.c:2051})
 * @param function the function the {@code WARNING:} line names (the {@code %pS} of the caller)
 * @param condition the failed condition, printed in brackets since 2025 ({@code [!list_empty(&x)]})
 * @param pc the function of the faulting pc register ({@code RIP:}, {@code pc :}), when printed
 * @param message the warning's own text: {@code ODEBUG: free active ...}, {@code refcount_t: underflow;
 *     use-after-free.}, printed just before or just after the {@code WARNING:} line
 * @param task the task named by the line ({@code CPU#1: comm/pid} in the 2025 form, {@code in comm:pid}
 *     for the unwinder's warnings), or by the {@code CPU:} line's pid
 */
public record WarningDetails(WarningForm form, Optional<SourceLocation> site, Optional<String> function,
    Optional<String> condition, Optional<String> pc, List<String> message, Optional<TaskRef> task)
    implements ReportDetails {
  public WarningDetails {
    Objects.requireNonNull(form);
    message = List.copyOf(message);
  }
}
