package dev.ktriage.cli.render;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code 90d}, {@code 12h}, {@code 2w}, {@code 30m} or ISO-8601 {@code P90D}; and dates for {@code --since}. */
public final class Durations {
  private Durations() {} // no instance

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*([smhdw])");

  /** picocli converter for durations. */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Matcher m = SHORT.matcher(value.strip());
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofDays(7 * n);
        };
      }
      try {
        return Duration.parse(value.strip().toUpperCase(java.util.Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not a duration (use 90d, 12h, 2w or P90D)");
      }
    }
  }

  /** picocli converter for instants: a date (UTC midnight), an ISO instant, or a duration ago ({@code 7d}). */
  public static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      String v = value.strip();
      try {
        if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
          return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (v.contains("T")) {
          try {
            return OffsetDateTime.parse(v).toInstant();
          } catch (DateTimeParseException e) {
            return java.time.LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
          }
        }
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not a date (use 2024-01-31, 2024-01-31T12:00:00Z or 7d)");
      }
      try {
        return Instant.now().minus(new DurationConverter().convert(v));
      } catch (TypeConversionException e) {
        throw new TypeConversionException("'" + value + "' is not a date (use 2024-01-31, 2024-01-31T12:00:00Z or 7d)");
      }
    }
  }
}
