package dev.ktriage.model;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * When a report was printed, from its first line's console prefix.
 *
 * @param uptime seconds since boot ({@code [  12.345678]})
 * @param wallClock a wall-clock stamp as printed by {@code dmesg -T} or syslog/journald
 */
public record LogTime(OptionalDouble uptime, Optional<String> wallClock) {
  public static LogTime none() {
    return new LogTime(OptionalDouble.empty(), Optional.empty());
  }
}
