package dev.ktriage.grammar.scan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What the scanner needs to know about a block to skip it: how many newlines it holds, where the
 * first and last are, and where the first mark ({@link Marks}: a banner or a suppression anchor) starts,
 * if one lies wholly inside it.
 *
 * <p>Computed eight bytes at a time: {@link #zeroBytes} marks the bytes of a word that equal a given
 * byte, so a word's newlines cost a few arithmetic operations and one popcount; four table lookups a
 * word find the pairs that may anchor a mark ({@link Marks}), and only words holding one are looked at
 * closer.
 *
 * @param newlines newline bytes in the block
 * @param firstNewline index of the first, or -1
 * @param lastNewline index of the last, or -1
 * @param banner index of the first mark's first byte, or -1
 * @param newlinesBeforeBanner newline bytes before {@code banner} (all of them when there is none)
 */
record BlockSummary(long newlines, int firstNewline, int lastNewline, int banner, long newlinesBeforeBanner) {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;

  static BlockSummary of(byte[] a, int len) {
    long lines = 0;
    int banner = -1;
    long before = -1;
    // Once a mark is found, anchors up to here may still belong to a mark that starts before it (in
    // the same line: no mark holds a line end).
    int settled = -1;
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
        if (banner >= 0 && i > settled || (Marks.anchors(w0, w1) | Marks.anchors(w1, w2) | Marks.anchors(w2, w3)
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
        if ((banner < 0 || i <= settled) && Marks.anchors(w, next) != 0) {
          for (int k = 0; k < 8; k += 2) {
            int start = Marks.mayAnchor(w, next, k) ? Marks.firstStart(a, i + k, 0, len) : -1;
            if (start >= 0 && (banner < 0 || start < banner)) {
              if (banner < 0) {
                // no line ends between the mark's start and its anchor
                before = lines + Long.bitCount(nls & belowByte(k));
                settled = start + Marks.MAX_ANCHOR_OFFSET;
              }
              banner = start;
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
    return new BlockSummary(lines, first, last, banner, banner < 0 ? lines : before);
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
