package dev.ktriage.grammar.title;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes titles stable the way syzbot does, so that the same bug gets the same title on every run:
 * volatile parts (executor numbers, addresses, IPs, line numbers, offsets, cpu numbers, other
 * numbers) become placeholders, then whitespace and length are tidied. The replacements are
 * applied in order, each repeated until nothing changes, because matches can overlap ("0,1,2").
 *
 * <p>These are the only regular expressions in titling: they rewrite finished titles and never
 * parse reports. Stateless and thread-safe.
 */
public final class TitleNormalizer {

  /** syzbot cuts titles here: corrupted or merged lines can be very long. */
  public static final int MAX_LENGTH = 120;

  /**
   * A rewrite, and a cheap test that is true whenever its pattern could match: titles are short, but
   * every report has several and most patterns need a digit most titles lack, so checking first
   * saves the matcher (measured: the regexes were 13% of parsing a report).
   */
  private record Replacement(Pattern pattern, String with, Predicate<String> mayMatch, String why) {}

  private static final List<Replacement> REPLACEMENTS = List.of(
      new Replacement(Pattern.compile("syz-executor\\.?[0-9]+((/|:)[0-9]+)?"), "syz-executor",
          s -> s.contains("syz-executor"), "executor process numbers differ between runs"),
      new Replacement(Pattern.compile("syzkaller[0-9]+((/|:)[0-9]+)?"), "syzkaller",
          s -> s.contains("syzkaller"), "syzkaller's per-run names (interfaces, files)"),
      new Replacement(Pattern.compile("([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}"), "$1ADDR",
          s -> hasRun(s, 6, TitleNormalizer::isLowerHex), "anything that looks like an address"),
      new Replacement(Pattern.compile("([0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3})"), "IP",
          s -> hasRun(s, 1, TitleNormalizer::isDigit), "IPv4 addresses"),
      new Replacement(Pattern.compile("(\\.\\w+)(:[0-9]+)+"), "$1:LINE",
          s -> hasRun(s, 1, TitleNormalizer::isDigit), "source line numbers move with every edit"),
      new Replacement(Pattern.compile("([a-zA-Z][a-zA-Z0-9_.]+)\\+0x[0-9a-z]+/0x[0-9a-z]+"), "$1",
          s -> s.contains("+0x"), "offsets and sizes change with every build"),
      new Replacement(Pattern.compile("CPU#[0-9]+"), "CPU", s -> s.contains("CPU#"), "which cpu does not matter"),
      new Replacement(Pattern.compile("(\\W)(\\d+)(\\W|$)"), "$1NUM$3", s -> hasRun(s, 1, TitleNormalizer::isDigit),
          "other decimal numbers; digits inside names (cfg80211) stay"),
      new Replacement(Pattern.compile("(\\d+){7,}"), "NUM", s -> hasRun(s, 7, TitleNormalizer::isDigit),
          "digit runs too long to be part of a name"));

  /** The normalized form of {@code title}. */
  public String normalize(String title) {
    return normalize(title, true);
  }

  /** As {@link #normalize(String)}; without the pre-checks for tests that compare the two. */
  String normalize(String title, boolean preCheck) {
    String s = title;
    for (Replacement r : REPLACEMENTS) {
      if (preCheck && !r.mayMatch().test(s)) {
        continue;
      }
      while (true) {
        Matcher m = r.pattern().matcher(s);
        String next = m.replaceAll(r.with());
        if (next.equals(s)) {
          break;
        }
        s = next;
      }
    }
    return sanitize(s);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLowerHex(char c) {
    return isDigit(c) || c >= 'a' && c <= 'f';
  }

  // Whether s has `length` consecutive characters that `in` accepts.
  private static boolean hasRun(String s, int length, CharTest in) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      run = in.test(s.charAt(i)) ? run + 1 : 0;
      if (run >= length) {
        return true;
      }
    }
    return false;
  }

  @FunctionalInterface
  private interface CharTest {
    boolean test(char c);
  }

  // Tabs become spaces, non-printable and non-ASCII characters go, runs of spaces collapse, and the
  // result is cut to MAX_LENGTH and trimmed.
  private static String sanitize(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_LENGTH));
    char prev = ' ';
    for (int i = 0; i < s.length() && i < MAX_LENGTH; i++) {
      char ch = s.charAt(i);
      if (ch == '\t') {
        ch = ' ';
      } else if (ch < 0x20 || ch >= 0x7f) {
        continue;
      }
      if (ch == ' ' && prev == ' ') {
        continue;
      }
      b.append(ch);
      prev = ch;
    }
    return b.toString().strip();
  }
}
