package dev.ktriage.grammar.log;

/**
 * Finds printk timestamps ({@code [  12.345678]}) inside a line: where one appears after the
 * start, two printk calls were glued into one line.
 */
public final class PrintkTimes {
  private PrintkTimes() {} // no instance

  /**
   * The index of the first {@code [ sec.frac]} at or after {@code from} whose fraction has at least
   * {@code minFraction} digits, or -1.
   */
  public static int indexOf(String s, int from, int minFraction) {
    int i = s.indexOf('[', from);
    while (i >= 0) {
      int j = i + 1;
      while (j < s.length() && s.charAt(j) == ' ') {
        j++;
      }
      int digits = j;
      while (j < s.length() && Character.isDigit(s.charAt(j))) {
        j++;
      }
      if (j > digits && j < s.length() && s.charAt(j) == '.') {
        int f = ++j;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
          j++;
        }
        if (j - f >= Math.max(1, minFraction) && j < s.length() && s.charAt(j) == ']') {
          return i;
        }
      }
      i = s.indexOf('[', i + 1);
    }
    return -1;
  }
}
