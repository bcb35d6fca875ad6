package dev.ktriage.depot.store;

/**
 * The first 64 bits of every report id the store holds or is adding, in an open-addressing hash set:
 * a report whose id is not in it is new for sure, so ingest asks the index only for the few that are
 * (duplicates, and ids removed since the writer opened: the filter only grows). Not thread-safe: the
 * store uses it under its lock.
 */
final class IdFilter {
  private long[] table = new long[1 << 10];
  private boolean hasZero;
  private int size;

  /** The 64 bits of a 32-hex-digit id that the filter keeps. */
  static long key(String id) {
    return Long.parseUnsignedLong(id, 0, 16, 16);
  }

  boolean mightContain(long k) {
    if (k == 0) {
      return hasZero;
    }
    int mask = table.length - 1;
    for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
      long v = table[i];
      if (v == k) {
        return true;
      }
      if (v == 0) {
        return false;
      }
    }
  }

  void add(long k) {
    if (k == 0) {
      hasZero = true;
      return;
    }
    if ((size + 1) * 2L > table.length) {
      grow();
    }
    int mask = table.length - 1;
    for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
      long v = table[i];
      if (v == k) {
        return;
      }
      if (v == 0) {
        table[i] = k;
        size++;
        return;
      }
    }
  }

  int size() {
    return size + (hasZero ? 1 : 0);
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    size = 0;
    for (long v : old) {
      if (v != 0) {
        add(v);
      }
    }
  }

  private static int mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    return (int) k;
  }
}
