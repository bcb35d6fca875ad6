package dev.ktriage.grammar.scan;

import dev.ktriage.model.Tool;
import java.util.Optional;

/** The header lines that open a KASAN or KCSAN report, and where they are in a line. */
final class Banners {
  private Banners() {} // no instance

  /** A banner found in a line: which tool, and at which index its {@code BUG:} starts. */
  record Found(Tool tool, int index) {}

  // Order matters only for speed; the strings are disjoint.
  private static final String KASAN = "BUG: KASAN: ";
  private static final String KCSAN = "BUG: KCSAN: ";
  // KASAN's first forms: "BUG: AddressSanitizer: out of bounds access in ..." (3.19 patches) and
  // "BUG: KASan: use after free in ..." (Linux 4.0-4.3).
  private static final String ASAN = "BUG: AddressSanitizer: ";
  private static final String KASAN_MIXED_CASE = "BUG: KASan: ";

  static Optional<Found> find(String body) {
    int i = body.indexOf("BUG: ");
    while (i >= 0) {
      if (body.startsWith(KASAN, i) || body.startsWith(ASAN, i) || body.startsWith(KASAN_MIXED_CASE, i)) {
        return Optional.of(new Found(Tool.KASAN, i));
      }
      if (body.startsWith(KCSAN, i)) {
        return Optional.of(new Found(Tool.KCSAN, i));
      }
      i = body.indexOf("BUG: ", i + 1);
    }
    return Optional.empty();
  }
}
