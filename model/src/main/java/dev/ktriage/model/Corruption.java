package dev.ktriage.model;

import java.util.Objects;

/**
 * Why a report cannot be trusted to be complete.
 *
 * @param reason the category
 * @param detail a short human explanation ({@code log ended inside the Call Trace})
 * @param logLine the 1-based log line where the problem was seen
 */
public record Corruption(CorruptionReason reason, String detail, long logLine) {
  public Corruption {
    Objects.requireNonNull(reason);
    Objects.requireNonNull(detail);
  }
}
