package dev.ktriage.depot.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;

/**
 * Lucene's classic query syntax over the store's fields, as a triager types it:
 * <ul>
 *   <li>Words without a field search the title (weighted {@link #TITLE_BOOST} times) and the
 *       {@code text} field (header, titles, guilty functions, the access stack's functions and files,
 *       bug type, task), split like identifiers ({@link IdentifierAnalyzer}): {@code io_uring} finds
 *       {@code io_uring_cancel_generic}, {@code ext4} finds {@code fs/ext4/xattr.c}.
 *   <li>{@code /} is a path character, not the start of a regular expression: {@code file:lib/iov_iter.c},
 *       {@code file:fs/ext4/*}; a value that ends with {@code /} is a directory ({@code file:drivers/usb/}).
 *   <li>Numeric and date fields are understood: {@code size:8}, {@code cluster:17}, {@code size:[4 TO 16]},
 *       {@code time:[2024-01-01 TO *]}, {@code ingested:{2024-06-01T12:00:00Z TO 2024-07-01}}. Dates are
 *       ISO-8601 dates or instants (UTC), or epoch milliseconds; a date alone means its whole day.
 *   <li>Leading wildcards are allowed ({@code function:*_xattr_*}).
 *   <li>A query that cannot match because of how it is written fails ({@link ParseException}): an
 *       unknown field, a value of the wrong kind, a term with no searchable characters.
 * </ul>
 * Not thread-safe (QueryParser is not): make one per query.
 */
final class StoreQueryParser extends QueryParser {
  /** How much more a word in the title weighs than the same word elsewhere in the report. */
  static final float TITLE_BOOST = 4f;

  StoreQueryParser() {
    super(Fields.TEXT, Fields.queryAnalyzer());
    setAllowLeadingWildcard(true);
    setDefaultOperator(Operator.AND);
    // words are split at spaces first (the classic behaviour), then io_uring becomes the phrase
    // "io uring" over identifier parts, not io OR uring
    setSplitOnWhitespace(true);
    setAutoGeneratePhraseQueries(true);
  }

  /** Parses a query as the user typed it. */
  Query parseUserQuery(String query) throws ParseException {
    Query q = parse(escapeSlashes(query));
    if (q == null || q instanceof BooleanQuery b && b.clauses().isEmpty()) {
      throw new ParseException("the query has no searchable words: " + query);
    }
    return q;
  }

  /**
   * The query with every {@code /} outside quotes escaped: the classic syntax reads {@code /.../} as a
   * regular expression, which turns a path into a syntax error or a query that matches nothing. A term
   * written as one ({@code /ext4_.+/}, {@code function:/xattr.+/}) is refused in one line rather than
   * searched for as a path that no report has.
   */
  static String escapeSlashes(String q) throws ParseException {
    StringBuilder sb = new StringBuilder(q.length() + 8);
    boolean quoted = false;
    for (int i = 0; i < q.length(); i++) {
      char c = q.charAt(i);
      if (c == '\\' && i + 1 < q.length()) {
        sb.append(c).append(q.charAt(++i));
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '/' && !quoted) {
        int close = regexEnd(q, i);
        if (close > 0) {
          throw new ParseException("regular expressions are not supported: " + q.substring(i, close + 1)
              + " (use wildcards: function:*xattr*, or a path without the leading /: file:fs/ext4/)");
        }
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /**
   * Where the {@code /} that closes a regular expression opened at {@code open} is, or -1: the classic
   * syntax's {@code /.../} starts where a term starts and ends the term (before a space, a {@code )}, a
   * boost or the end), with {@code \/} inside it escaped.
   */
  private static int regexEnd(String q, int open) {
    char before = open == 0 ? ' ' : q.charAt(open - 1);
    if (!Character.isWhitespace(before) && "(:+-!".indexOf(before) < 0) {
      return -1;
    }
    for (int j = open + 1; j < q.length(); j++) {
      char c = q.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == '/') {
        char after = j + 1 < q.length() ? q.charAt(j + 1) : ' ';
        return j > open + 1 && (Character.isWhitespace(after) || after == ')' || after == '^') ? j : -1;
      } else if (Character.isWhitespace(c)) {
        return -1;
      }
    }
    return -1;
  }

  private static void checkField(String field) throws ParseException {
    if (!Fields.QUERYABLE.contains(field)) {
      throw new ParseException("unknown field '" + field + "' (fields: " + String.join(" ", Fields.QUERYABLE_SORTED) + ")");
    }
  }

  /** Words without a field: the title (weighted) or the rest of the report's text. */
  private interface Part {
    Query on(String field) throws ParseException;
  }

  private static Query titleOrText(Part part) throws ParseException {
    Query title = part.on(Fields.TITLE);
    Query text = part.on(Fields.TEXT);
    if (title == null || text == null) {
      return text;
    }
    return new BooleanQuery.Builder()
        .add(new BoostQuery(title, TITLE_BOOST), BooleanClause.Occur.SHOULD)
        .add(text, BooleanClause.Occur.SHOULD)
        .build();
  }

  @Override
  protected Query getFieldQuery(String field, String text, boolean quoted) throws ParseException {
    checkField(field);
    if (Fields.INTS.contains(field)) {
      return IntPoint.newExactQuery(field, parseInt(field, text));
    }
    if (Fields.DOUBLES.contains(field)) {
      return DoublePoint.newExactQuery(field, parseDouble(field, text));
    }
    if (Fields.DATES.contains(field)) {
      long[] day = dateRange(field, text);
      return LongPoint.newRangeQuery(field, day[0], day[1]);
    }
    if (Fields.LONGS.contains(field)) {
      return LongPoint.newExactQuery(field, parseLong(field, text));
    }
    if (field.equals(Fields.FILE) && text.endsWith("/")) {
      return new PrefixQuery(new Term(field, Fields.lower(text)));
    }
    if (field.equals(Fields.CORRUPTED)) {
      String v = text.strip().toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw new ParseException("corrupted: true or false, not " + text);
      }
    }
    if (field.equals(Fields.TEXT)) {
      return titleOrText(f -> super.getFieldQuery(f, text, quoted));
    }
    return super.getFieldQuery(field, text, quoted);
  }

  @Override
  protected Query getFieldQuery(String field, String text, int slop) throws ParseException {
    checkField(field);
    if (field.equals(Fields.TEXT)) {
      return titleOrText(f -> super.getFieldQuery(f, text, slop));
    }
    return super.getFieldQuery(field, text, slop);
  }

  @Override
  protected Query getWildcardQuery(String field, String termStr) throws ParseException {
    checkField(field);
    if (field.equals(Fields.TEXT)) {
      return titleOrText(f -> super.getWildcardQuery(f, termStr));
    }
    return super.getWildcardQuery(field, termStr);
  }

  @Override
  protected Query getPrefixQuery(String field, String termStr) throws ParseException {
    checkField(field);
    if (field.equals(Fields.TEXT)) {
      return titleOrText(f -> super.getPrefixQuery(f, termStr));
    }
    return super.getPrefixQuery(field, termStr);
  }

  @Override
  protected Query getFuzzyQuery(String field, String termStr, float minSimilarity) throws ParseException {
    checkField(field);
    if (field.equals(Fields.TEXT)) {
      return titleOrText(f -> super.getFuzzyQuery(f, termStr, minSimilarity));
    }
    return super.getFuzzyQuery(field, termStr, minSimilarity);
  }

  @Override
  protected Query getRegexpQuery(String field, String termStr) throws ParseException {
    throw new ParseException("regular expressions are not supported: " + termStr);
  }

  @Override
  protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive,
      boolean endInclusive) throws ParseException {
    checkField(field);
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
    if (Fields.DOUBLES.contains(field)) {
      double lo = open1 ? Double.NEGATIVE_INFINITY : parseDouble(field, part1);
      double hi = open2 ? Double.POSITIVE_INFINITY : parseDouble(field, part2);
      return DoublePoint.newRangeQuery(field, startInclusive || open1 ? lo : Math.nextUp(lo),
          endInclusive || open2 ? hi : Math.nextDown(hi));
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
    if (field.equals(Fields.TEXT)) {
      throw new ParseException("a range needs a field: " + part1 + " TO " + part2);
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

  private static double parseDouble(String field, String text) throws ParseException {
    try {
      return Double.parseDouble(text.strip());
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
