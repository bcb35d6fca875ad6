package dev.ktriage.depot.store;

import dev.ktriage.model.LogTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a report's wall-clock stamp. Forms, each with the tool that prints it: ISO-8601 with offset
 * (journalctl {@code -o short-iso}, rsyslog RFC 3339), ISO local time (taken as UTC), and
 * {@code dmesg -T}'s {@code Sun Nov 22 02:16:00 2026} (taken as UTC: dmesg prints local time without a
 * zone). Syslog's year-less {@code Nov 22 02:16:00} cannot be placed and yields nothing.
 */
final class ReportTimes {
  private ReportTimes() {} // no instance

  private static final List<DateTimeFormatter> LOCAL = List.of(
      DateTimeFormatter.ISO_LOCAL_DATE_TIME,
      DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT),
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT));

  static Optional<Instant> wallClock(LogTime t) {
    if (t == null || t.wallClock().isEmpty()) {
      return Optional.empty();
    }
    String s = t.wallClock().get().strip().replaceAll("^\\[|\\]$", "").replaceAll("\\s+", " ");
    try {
      return Optional.of(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException e) {
      // try the zone-less forms
    }
    for (DateTimeFormatter f : LOCAL) {
      try {
        return Optional.of(LocalDateTime.parse(s, f).toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException e) {
        // next form
      }
    }
    return Optional.empty();
  }
}
