package dev.ktriage.grammar.scan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the scanner needs to know about a block to skip it: how many newlines it holds, where the
 * first and last are, and where the marks ({@link Marks}: banners and suppression anchors) that lie
 * wholly inside it start.
 *
 * <p>Computed eight bytes at a time: {@link #zeroBytes} marks the bytes of a word that equal a given
 * byte, so a word's newlines cost a few arithmetic operations and one popcount; four table lookups a
 * word find the pieces that may anchor a mark ({@link Marks}), and only words holding one are looked at
 * closer. Every mark is recorded, not only the first: after a report the scanner goes on from the
 * summary's marks instead of looking for anchors again on its own thread.
 *
 * @param newlines newline bytes in the block
 * @param firstNewline index of the first, or -1
 * @param lastNewline index of the last, or -1
 * @param banner index of the first mark's first byte, or -1
 * @param newlinesBeforeBanner newline bytes before {@code banner} (all of them when there is none)
 * @param marks the start of every mark wholly inside the block, ascending, each once (not to be changed)
 */
record BlockSummary(long newlines, int firstNewline, int lastNewline, int banner, long newlinesBeforeBanner,
    int[] marks) {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
  private static final int[] NO_MARKS = {};

  static BlockSummary of(byte[] a, int len) {
    long lines = 0;
    long before = -1;
    int[] marks = NO_MARKS;
    int found = 0;
    int[] starts = null; // the starts anchored at one piece
    int i = 0;
    while (i < len) {
      if (i + 40 <= len) {
        // Four words a round while none of their pieces may be an anchor: C1, which runs `parse` (see
        // the launcher), does not unroll loops, and one popcount over four words' newline bits (each
        // word's bits shifted to its own bit of the byte) halves its time per byte (bench/parse/RESULTS.md).
        long w0 = (long) LONGS.get(a, i);
        long w1 = (long) LONGS.get(a, i + 8);
        long w2 = (long) LONGS.get(a, i + 16);
        long w3 = (long) LONGS.get(a, i + 24);
        if ((Marks.anchors(w0, w1) | Marks.anchors(w1, w2) | Marks.anchors(w2, w3)
            | Marks.anchors(w3, (long) LONGS.get(a, i + 32))) == 0) {
          lines += Long.bitCount(zeroBytes(w0 ^ NEWLINES) | zeroBytes(w1 ^ NEWLINES) >>> 1
              | zeroBytes(w2 ^ NEWLINES) >>> 2 | zeroBytes(w3 ^ NEWLINES) >>> 3);
          i += 32;
          continue;
        }
      }
      // A word at a time: its round may hold an anchor, or fewer than 40 bytes are left (the last
      // words padded with zeros, which no mark holds).
      int end = Math.min(len, i + 32);
      for (; i < end; i += 8) {
        long w = word(a, i, len);
        long nls = zeroBytes(w ^ NEWLINES);
        long next = word(a, i + 8, len);
        if (Marks.anchors(w, next) != 0) {
          for (int k = 0; k < 8; k += 2) {
            if (!Marks.mayAnchor(w, next, k)) {
              continue;
            }
            if (starts == null) {
              starts = new int[Marks.MAX_PER_ANCHOR];
            }
            int n = Marks.starts(a, i + k, len, starts);
            if (n > 0 && found == 0) {
              // The first line with a mark: no line ends between a mark's start and its anchor, and a
              // mark found later that starts before this one holds this anchor, so is in this line.
              before = lines + Long.bitCount(nls & belowByte(k));
            }
            for (int e = 0; e < n; e++) {
              if (found == marks.length) {
                marks = Arrays.copyOf(marks, Math.max(8, 2 * found));
              }
              marks[found++] = starts[e];
            }
          }
        }
        lines += Long.bitCount(nls);
      }
    }
    int first = -1;
    int last = -1;
    if (lines > 0) {
      for (int k = 0; k < len; k++) {
        if (a[k] == '\n') {
          first = k;
          break;
        }
      }
      for (int k = len - 1; k >= 0; k--) {
        if (a[k] == '\n') {
          last = k;
          break;
        }
      }
    }
    // Found in the order of their anchors: a mark may start before one found earlier, and two marks
    // may start at one place ("BUG:" and "BUG: KASAN: ").
    int[] sorted = Arrays.copyOf(marks, found);
    Arrays.sort(sorted);
    int distinct = 0;
    for (int k = 0; k < sorted.length; k++) {
      if (k == 0 || sorted[k] != sorted[k - 1]) {
        sorted[distinct++] = sorted[k];
      }
    }
    sorted = distinct == 0 ? NO_MARKS : Arrays.copyOf(sorted, distinct);
    int banner = distinct == 0 ? -1 : sorted[0];
    return new BlockSummary(lines, first, last, banner, banner < 0 ? lines : before, sorted);
  }

  /** The first mark that starts at or after {@code from}, or -1. */
  int markFrom(int from) {
    int k = Arrays.binarySearch(marks, from);
    k = k >= 0 ? k : -k - 1;
    return k < marks.length ? marks[k] : -1;
  }

  /** The newline bytes in {@code a[from, to)}, eight at a time. */
  static long newlines(byte[] a, int from, int to) {
    long n = 0;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      n += Long.bitCount(zeroBytes((long) LONGS.get(a, i) ^ NEWLINES));
    }
    for (; i < to; i++) {
      if (a[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockSummary s && newlines == s.newlines && firstNewline == s.firstNewline
        && lastNewline == s.lastNewline && banner == s.banner && newlinesBeforeBanner == s.newlinesBeforeBanner
        && Arrays.equals(marks, s.marks);
  }

  @Override
  public int hashCode() {
    return Objects.hash(newlines, firstNewline, lastNewline, banner, newlinesBeforeBanner)
        * 31 + Arrays.hashCode(marks);
  }

  @Override
  public String toString() {
    return "BlockSummary[newlines=" + newlines + ", firstNewline=" + firstNewline + ", lastNewline="
        + lastNewline + ", banner=" + banner + ", newlinesBeforeBanner=" + newlinesBeforeBanner + ", marks="
        + Arrays.toString(marks) + "]";
  }

  /** The word at {@code a[i]}, of the bytes before {@code len} only (zeros above them); 0 past len. */
  static long word(byte[] a, int i, int len) {
    return i + 8 <= len ? (long) LONGS.get(a, i) : partialWord(a, i, len);
  }

  /** The bytes {@code a[i, len)} (fewer than eight) as a little-endian word, zeros above them. */
  static long partialWord(byte[] a, int i, int len) {
    long w = 0;
    for (int k = len - 1; k >= i; k--) {
      w = w << 8 | (a[k] & 0xffL);
    }
    return w;
  }

  /** The bits of the bytes below byte {@code n} of a word. */
  static long belowByte(int n) {
    return (1L << (n << 3)) - 1;
  }

  /**
   * Sets the high bit of every byte of {@code x} that is zero, and only those (exact, unlike the
   * cheaper {@code (x - 0x01..) & ~x & 0x80..} test, so that bit counts are line counts).
   */
  static long zeroBytes(long x) {
    long y = (x & LOW7) + LOW7;
    return ~(y | x | LOW7);
  }

  /** Whether a mark starts at {@code a[at]} and ends at or before {@code len}. */
  static boolean isBanner(byte[] a, int at, int len) {
    return Marks.startsAt(a, at, len);
  }
}
