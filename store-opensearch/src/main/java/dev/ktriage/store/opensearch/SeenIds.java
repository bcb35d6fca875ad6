package dev.ktriage.store.opensearch;

/**
 * Report ids a writer has met, 64 bits of each (8 bytes a report instead of a string's ~100: a million
 * reports in 8-16 MB). A hit can be a false one (two ids sharing 64 bits), so it only says "ask the
 * cluster"; a miss is certain. Open addressing with linear probing; 0 marks a free slot (an id whose 64
 * bits are 0 is kept as 1: one more possible false hit). Thread-safe.
 */
final class SeenIds {
  private long[] slots = new long[1 << 12];
  private int size;

  /** The first 16 hex digits of a fingerprint as a number. */
  private static long bits(String id) {
    long v = Long.parseUnsignedLong(id.substring(0, Math.min(16, id.length())), 16);
    return v == 0 ? 1 : v;
  }

  synchronized void add(String id) {
    if (insert(slots, bits(id))) {
      size++;
      if (size * 2 > slots.length) {
        long[] bigger = new long[slots.length * 2];
        for (long v : slots) {
          if (v != 0) {
            insert(bigger, v);
          }
        }
        slots = bigger;
      }
    }
  }

  /** Whether {@code id} may have been {@link #add added}: false means it was not. */
  synchronized boolean mightContain(String id) {
    long v = bits(id);
    int mask = slots.length - 1;
    for (int i = slot(v, mask); slots[i] != 0; i = (i + 1) & mask) {
      if (slots[i] == v) {
        return true;
      }
    }
    return false;
  }

  private static int slot(long v, int mask) {
    return (int) (v ^ (v >>> 32)) * 0x9E3779B9 & mask;
  }

  private static boolean insert(long[] table, long v) {
    int mask = table.length - 1;
    int i = slot(v, mask);
    while (table[i] != 0) {
      if (table[i] == v) {
        return false;
      }
      i = (i + 1) & mask;
    }
    table[i] = v;
    return true;
  }
}
