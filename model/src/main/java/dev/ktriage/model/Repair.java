package dev.ktriage.model;

import java.util.Objects;

/**
 * How a report's text was put back together before parsing: what was done, why, and where. A
 * repaired report keeps its title; the repairs say that its text is not the kernel's as printed.
 *
 * @param kind what was repaired
 * @param detail a short human explanation ({@code the access line stops before the task})
 * @param logLine the 1-based log line the repair concerns
 */
public record Repair(Kind kind, String detail, long logLine) {

  /** What was repaired. Stable identifiers: they appear in JSON as lowercase-with-dashes. */
  public enum Kind {
    /** A line a mail client broke in two was joined again. */
    MAIL_WRAP;

    /** The JSON spelling: {@code mail-wrap}. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  public Repair {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(detail);
  }
}
