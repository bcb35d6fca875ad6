package dev.ktriage.depot.cluster;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Scores in words ({@code 0.834}) without a {@link java.util.Formatter}: explanations are written for
 * every stored report, and parsing a format string per number cost more than the rest of the sentence.
 */
public final class Decimals {
  private Decimals() {} // no instance

  /**
   * What {@code String.format(Locale.ROOT, "%.<digits>f", v)} gives: the shortest decimal that reads
   * back as {@code v} ({@link Double#toString}), rounded half up to {@code digits} places.
   */
  public static String fixed(double v, int digits) {
    if (!Double.isFinite(v) || Double.doubleToRawLongBits(v) < 0) {
      // NaN, infinities, negatives (-0.0005 is "-0.001", but "-0.000" at 3 places): never a score, the Formatter's words
      return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
    String s = Double.toString(v);
    int dot = s.indexOf('.');
    if (digits <= 0 || dot < 0 || s.indexOf('E') >= 0) {
      return new BigDecimal(s).setScale(digits, RoundingMode.HALF_UP).toPlainString();
    }
    // Half up on the decimal digits themselves, as BigDecimal.setScale does on the same string, without
    // making one: every stored report's explanation writes a few scores.
    char[] out = new char[dot + 1 + digits];
    s.getChars(0, dot + 1, out, 0);
    int frac = s.length() - dot - 1;
    for (int i = 0; i < digits; i++) {
      out[dot + 1 + i] = i < frac ? s.charAt(dot + 1 + i) : '0';
    }
    if (frac <= digits || s.charAt(dot + 1 + digits) < '5') {
      return new String(out);
    }
    for (int i = out.length - 1; i >= 0; i--) { // carry the rounding up through the digits kept
      if (out[i] == '.') {
        continue;
      }
      if (out[i] != '9') {
        out[i]++;
        return new String(out);
      }
      out[i] = '0';
    }
    return "1" + new String(out); // 9.9996 -> 10.000
  }
}
