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
    return new BigDecimal(Double.toString(v)).setScale(digits, RoundingMode.HALF_UP).toPlainString();
  }
}
