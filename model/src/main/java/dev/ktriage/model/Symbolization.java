package dev.ktriage.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a symbolizer resolved for a frame after the log was parsed: the frame's own source position
 * and the callees inlined into it, innermost first. Kept apart from what the log printed
 * ({@link Frame#printedLocation()}), so a report's identity never depends on whether, or against
 * which vmlinux, it was symbolized.
 *
 * @param location source position of the frame's own code, if resolved
 * @param inlined inlined callees at this frame, innermost first
 */
public record Symbolization(Optional<SourceLocation> location, List<InlinedFrame> inlined) {
  public Symbolization {
    Objects.requireNonNull(location);
    inlined = List.copyOf(inlined);
  }

  /** Whether it says anything (a symbolizer that found nothing leaves the frame as printed). */
  public boolean isEmpty() {
    return location.isEmpty() && inlined.isEmpty();
  }
}
