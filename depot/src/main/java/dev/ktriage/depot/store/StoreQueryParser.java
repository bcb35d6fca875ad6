package dev.ktriage.depot.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.Query;

/**
 * Lucene's classic query syntax over the store's fields, with numeric and date fields understood:
 * {@code size:8}, {@code cluster:17}, {@code size:[4 TO 16]}, {@code time:[2024-01-01 TO *]},
 * {@code ingested:{2024-06-01T12:00:00Z TO 2024-07-01}}. Dates are ISO-8601 dates or instants (UTC),
 * or epoch milliseconds; a date alone means its whole day. Leading wildcards are allowed
 * ({@code function:*_xattr_*}). Not thread-safe (QueryParser is not): make one per query.
 */
final class StoreQueryParser extends QueryParser {
  StoreQueryParser() {
    super(Fields.TEXT, Fields.analyzer());
    setAllowLeadingWildcard(true);
    setDefaultOperator(Operator.AND);
  }

  @Override
  protected Query getFieldQuery(String field, String text, boolean quoted) throws ParseException {
    if (Fields.INTS.contains(field)) {
      return IntPoint.newExactQuery(field, parseInt(field, text));
    }
    if (Fields.DATES.contains(field)) {
      long[] day = dateRange(field, text);
      return LongPoint.newRangeQuery(field, day[0], day[1]);
    }
    if (Fields.LONGS.contains(field)) {
      return LongPoint.newExactQuery(field, parseLong(field, text));
    }
    return super.getFieldQuery(field, text, quoted);
  }

  @Override
  protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive,
      boolean endInclusive) throws ParseException {
    boolean open1 = part1 == null || part1.equals("*");
    boolean open2 = part2 == null || part2.equals("*");
    if (Fields.INTS.contains(field)) {
      int lo = open1 ? Integer.MIN_VALUE : parseInt(field, part1);
      int hi = open2 ? Integer.MAX_VALUE : parseInt(field, part2);
      if (!open1 && !startInclusive) {
        lo = Math.addExact(lo, 1);
      }
      if (!open2 && !endInclusive) {
        hi = Math.addExact(hi, -1);
      }
      return IntPoint.newRangeQuery(field, lo, hi);
    }
    if (Fields.LONGS.contains(field)) {
      boolean date = Fields.DATES.contains(field);
      long lo = open1 ? Long.MIN_VALUE : date ? dateRange(field, part1)[0] : parseLong(field, part1);
      long hi = open2 ? Long.MAX_VALUE : date ? (endInclusive ? dateRange(field, part2)[1] : dateRange(field, part2)[0])
          : parseLong(field, part2);
      if (!open1 && !startInclusive) {
        lo = date ? dateRange(field, part1)[1] + 1 : lo + 1;
      }
      if (!open2 && !endInclusive) {
        hi = hi - 1;
      }
      return LongPoint.newRangeQuery(field, lo, hi);
    }
    return super.getRangeQuery(field, part1, part2, startInclusive, endInclusive);
  }

  private static int parseInt(String field, String text) throws ParseException {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new ParseException(field + ": not a number: " + text);
    }
  }

  private static long parseLong(String field, String text) throws ParseException {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new ParseException(field + ": not a number: " + text);
    }
  }

  /** First and last millisecond a date text stands for. */
  static long[] dateRange(String field, String text) throws ParseException {
    String t = text.strip();
    try {
      if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
        long start = LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        return new long[] {start, start + 86_400_000L - 1};
      }
      if (t.matches("-?\\d+")) {
        long v = Long.parseLong(t);
        return new long[] {v, v};
      }
      Instant i;
      try {
        i = OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException e) {
        i = LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
      }
      return new long[] {i.toEpochMilli(), i.toEpochMilli()};
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new ParseException(field + ": not a date (use 2024-01-31 or 2024-01-31T12:00:00Z): " + text);
    }
  }
}
