package dev.ktriage.depot.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecimalsTest {

  private static void same(double v, int digits) {
    assertEquals(String.format(Locale.ROOT, "%." + digits + "f", v), Decimals.fixed(v, digits), "value " + v);
  }

  @Test
  void writesWhatTheFormatterWrites() {
    double[] edges = {0, -0.0, 1, 0.5, 0.0005, 0.0015, 0.1235, 0.9995, 0.99949999, 1.0 / 3, 2.0 / 3, 0.55, 0.125,
        0.1245, 1e-9, 123.4565, -0.0005, -0.5, 1e20, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
        9.9996, 99.99951, 0.99999999, 0.0995, 19.5, 1e-3, 1e7 + 0.00049}; // carries through every kept digit; Double.toString with an exponent
    for (double v : edges) {
      for (int digits = 0; digits <= 4; digits++) {
        same(v, digits);
      }
    }
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      double v = i % 2 == 0 ? r.nextDouble() : Math.round(r.nextDouble() * 20_000) / 20_000.0; // ties at the 4th place
      same(v, 3);
      same(v, 2);
    }
  }
}
