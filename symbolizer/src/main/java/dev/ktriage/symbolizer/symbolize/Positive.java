package dev.ktriage.symbolizer.symbolize;

import java.util.OptionalInt;

/**
 * Line and column values as {@link OptionalInt}s, shared for small values: a batch of 100,000 frames
 * would otherwise allocate two per frame, and keeping them alive costs garbage-collection copying.
 *
 * <p>Thread-safe: the cache is filled racily with equal values.
 */
public final class Positive {
  private static final OptionalInt[] CACHE = new OptionalInt[1 << 14];

  private Positive() {
    // no instance
  }

  /** {@code v} when positive, else empty (DWARF uses 0 for "unknown"). */
  public static OptionalInt of(int v) {
    if (v <= 0) {
      return OptionalInt.empty();
    }
    if (v >= CACHE.length) {
      return OptionalInt.of(v);
    }
    OptionalInt o = CACHE[v];
    if (o == null) {
      o = OptionalInt.of(v);
      CACHE[v] = o;
    }
    return o;
  }
}
