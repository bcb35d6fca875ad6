package dev.ktriage.grammar.log;

/**
 * Makes one raw log line safe to parse: drops ANSI escape sequences (colored serial consoles),
 * NULs and other control characters, turns tabs, stray carriage returns and non-breaking spaces
 * (mail clients) into spaces, and strips trailing carriage returns ({@code \r\n} logs).
 *
 * <p>Stateless and thread-safe.
 */
public final class LineSanitizer {

  /** Sanitizes {@code s}; returns {@code s} itself when nothing needs to change. */
  public String sanitize(String s) {
    int n = s.length();
    while (n > 0 && s.charAt(n - 1) == '\r') {
      n--;
    }
    boolean clean = n == s.length();
    for (int i = 0; clean && i < n; i++) {
      char ch = s.charAt(i);
      if (ch < 0x20 || ch == 0x7f || ch == 0xa0) {
        clean = false;
      }
    }
    if (clean) {
      return s;
    }
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch == 0x1b) {
        i = skipEscape(s, i, n);
        continue;
      }
      if (ch == '\t' || ch == '\r' || ch == 0xa0) {
        b.append(' ');
      } else if (ch >= 0x20 && ch != 0x7f) {
        b.append(ch);
      }
      // Other control characters (NUL, BEL, ...) carry nothing for us and break tokens.
    }
    return b.toString();
  }

  // ESC [ params final (CSI), or ESC followed by one character; returns the last index consumed.
  private static int skipEscape(String s, int i, int n) {
    if (i + 1 < n && s.charAt(i + 1) == '[') {
      int j = i + 2;
      while (j < n && !(s.charAt(j) >= 0x40 && s.charAt(j) <= 0x7e)) {
        j++;
      }
      return Math.min(j, n - 1);
    }
    return Math.min(i + 1, n - 1);
  }
}
