package dev.ktriage.model;

import java.util.List;
import java.util.Optional;

/**
 * The KCSAN-specific parts of a report.
 *
 * @param kind data race, race at unknown origin, or assertion
 * @param functions the racing functions named in the header, in printed (sorted) order
 * @param accesses the racing accesses in printed order
 * @param valueChange the observed value change
 * @param reportedBy the {@code Reported by Kernel Concurrency Sanitizer on:} line's text
 */
public record KcsanDetails(KcsanKind kind, List<String> functions, List<RaceAccess> accesses,
    Optional<ValueChange> valueChange, Optional<String> reportedBy) implements ReportDetails {
  public KcsanDetails {
    functions = List.copyOf(functions);
    accesses = List.copyOf(accesses);
  }
}
