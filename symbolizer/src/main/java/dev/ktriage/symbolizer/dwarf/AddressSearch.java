package dev.ktriage.symbolizer.dwarf;

/**
 * Binary searches over addresses sorted in unsigned order (kernel addresses have the top bit set).
 *
 * <p>Stateless.
 */
public final class AddressSearch {
  private AddressSearch() {
    // no instance
  }

  /**
   * Index of {@code key} in {@code sorted}; otherwise {@code -(insertion point) - 1}, as {@link
   * java.util.Arrays#binarySearch(long[], long)} but in unsigned order.
   */
  public static int indexOf(long[] sorted, long key) {
    int lo = 0;
    int hi = sorted.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Long.compareUnsigned(sorted[mid], key);
      if (c == 0) {
        return mid;
      } else if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -(lo + 1);
  }

  /** Index of the last element of {@code sorted} at or below {@code key}, or -1. */
  public static int floor(long[] sorted, long key) {
    int lo = 0;
    int hi = sorted.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(sorted[mid], key) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * Index of a range {@code [lo[i], hi[i])} that contains {@code pc}, or -1; ranges sorted by start.
   * Looks back at most {@code lookBack} ranges from the last one starting at or below {@code pc}, for
   * inputs where a range can sit inside an earlier one.
   */
  public static int containing(long[] lo, long[] hi, long pc, int lookBack) {
    int found = floor(lo, pc);
    for (int i = found; i >= 0 && i > found - lookBack; i--) {
      if (Long.compareUnsigned(lo[i], pc) <= 0 && Long.compareUnsigned(pc, hi[i]) < 0) {
        return i;
      }
    }
    return -1;
  }
}
