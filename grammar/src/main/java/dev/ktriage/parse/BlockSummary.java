package dev.ktriage.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What the scanner needs to know about a block to skip it: how many newlines it holds, where the
 * first and last are, and where the first KASAN/KCSAN banner starts (if one lies wholly inside it).
 *
 * <p>Computed eight bytes at a time: {@link #zeroBytes} marks the bytes of a word that equal a given
 * byte, so a word costs a few arithmetic operations and one popcount, and only words that contain a
 * capital B are looked at byte by byte.
 *
 * @param newlines newline bytes in the block
 * @param firstNewline index of the first, or -1
 * @param lastNewline index of the last, or -1
 * @param banner index of the first banner's {@code B}, or -1
 * @param newlinesBeforeBanner newline bytes before {@code banner} (all of them when there is none)
 */
record BlockSummary(long newlines, int firstNewline, int lastNewline, int banner, long newlinesBeforeBanner) {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
  private static final long CAPITAL_BS = 0x4242424242424242L;

  /** The longest banner, {@code BUG: AddressSanitizer: }; one that starts this close to the end may go on. */
  static final int LONGEST_BANNER = 23;

  static BlockSummary of(byte[] a, int len) {
    long lines = 0;
    int banner = -1;
    long before = -1;
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      long w = (long) LONGS.get(a, i);
      long nls = zeroBytes(w ^ NEWLINES);
      if (banner < 0) {
        long bs = zeroBytes(w ^ CAPITAL_BS);
        while (bs != 0) {
          int at = i + (Long.numberOfTrailingZeros(bs) >>> 3);
          if (isBanner(a, at, len)) {
            banner = at;
            before = lines + Long.bitCount(nls & ((1L << ((at - i) << 3)) - 1));
            break;
          }
          bs &= bs - 1;
        }
      }
      lines += Long.bitCount(nls);
    }
    for (; i < len; i++) {
      if (banner < 0 && a[i] == 'B' && isBanner(a, i, len)) {
        banner = i;
        before = lines;
      }
      if (a[i] == '\n') {
        lines++;
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

  /**
   * Sets the high bit of every byte of {@code x} that is zero, and only those (exact, unlike the
   * cheaper {@code (x - 0x01..) & ~x & 0x80..} test, so that bit counts are line counts).
   */
  static long zeroBytes(long x) {
    long y = (x & LOW7) + LOW7;
    return ~(y | x | LOW7);
  }

  /** Whether a KASAN or KCSAN banner starts at {@code a[at]} and ends before {@code len}. */
  static boolean isBanner(byte[] a, int at, int len) {
    return matches(a, at, len, "BUG: KASAN: ") || matches(a, at, len, "BUG: KCSAN: ")
        || matches(a, at, len, "BUG: KASan: ") || matches(a, at, len, "BUG: AddressSanitizer: ");
  }

  private static boolean matches(byte[] a, int at, int len, String s) {
    if (at + s.length() > len) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      if (a[at + k] != s.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
