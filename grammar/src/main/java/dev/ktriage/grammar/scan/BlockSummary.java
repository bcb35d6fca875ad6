package dev.ktriage.grammar.scan;

import dev.ktriage.model.Banner;
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

  /**
   * What the scanner looks for: every banner's text, and the anchors of the suppression lines (which may
   * be anywhere in a log, so the blocks the scanner skips must not hide them).
   */
  static final java.util.List<String> MARKS = java.util.stream.Stream.concat(
      java.util.Arrays.stream(Banner.values()).map(Banner::text), Suppressions.ANCHORS.stream()).distinct().toList();

  /** The longest mark's length; one that starts this close to the end of a block may go on in the next. */
  static final int LONGEST_BANNER = MARKS.stream().mapToInt(String::length).max().orElseThrow();

  static BlockSummary of(byte[] a, int len) {
    long lines = 0;
    int banner = -1;
    long before = -1;
    int i = 0;
    for (;;) {
      // Four words a round while no capital B is in them: C1, which runs `parse` (see the launcher),
      // does not unroll loops, and one popcount over four words' newline bits (each word's bits
      // shifted to its own bit of the byte) halves its time per byte (bench/parse/RESULTS.md).
      while (i + 32 <= len) {
        long w0 = (long) LONGS.get(a, i);
        long w1 = (long) LONGS.get(a, i + 8);
        long w2 = (long) LONGS.get(a, i + 16);
        long w3 = (long) LONGS.get(a, i + 24);
        if (banner < 0 && (firstBytes(w0) | firstBytes(w1) | firstBytes(w2) | firstBytes(w3)) != 0) {
          break;
        }
        lines += Long.bitCount(zeroBytes(w0 ^ NEWLINES) | zeroBytes(w1 ^ NEWLINES) >>> 1
            | zeroBytes(w2 ^ NEWLINES) >>> 2 | zeroBytes(w3 ^ NEWLINES) >>> 3);
        i += 32;
      }
      // A word at a time: the round holds a capital B, or fewer than 32 bytes are left.
      boolean tail = i + 32 > len;
      int limit = tail ? i + ((len - i) & ~7) : i + 32;
      for (; i < limit; i += 8) {
        long w = (long) LONGS.get(a, i);
        long nls = zeroBytes(w ^ NEWLINES);
        if (banner < 0) {
          long bs = bannerStarts(w);
          while (bs != 0) {
            int at = i + byteIndex(bs);
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
      if (tail) {
        break;
      }
    }
    for (; i < len; i++) {
      if (banner < 0 && mayStart(a[i]) && isBanner(a, i, len)) {
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
   * The high bits of the bytes of {@code w} where a banner may start: a banner's first byte followed by
   * its second ({@code BU} of {@code BUG:}), or a first byte in the last byte (its second is in the next
   * word). Console logs are full of the first bytes alone ({@code Bluetooth}, {@code BIOS}); this keeps
   * most of them from a byte-wise look.
   */
  static long bannerStarts(long w) {
    // One zero-byte test a pair: byte i of `next` is byte i + 1 of w, and its last byte (the next
    // word's first) is 0, which PAIR_SECONDS_LOW's 0 matches; a byte of the OR is 0 only where both are.
    long next = w >>> 8;
    long r = 0;
    for (int k = 0; k < PAIR_FIRSTS.length; k++) {
      r |= zeroBytes((w ^ PAIR_FIRSTS[k]) | (next ^ PAIR_SECONDS_LOW[k]));
    }
    return r;
  }

  /** The high bits of the bytes of {@code w} that are the first byte of some banner. */
  private static long firstBytes(long w) {
    long r = 0;
    for (long f : FIRSTS) {
      r |= zeroBytes(w ^ f);
    }
    return r;
  }

  /** Whether a banner may start with byte {@code b}. */
  static boolean mayStart(byte b) {
    for (byte f : FIRST_BYTES) {
      if (b == f) {
        return true;
      }
    }
    return false;
  }

  // The banners' distinct first bytes, and distinct (first, second) byte pairs, each byte repeated
  // in all eight lanes of a word: BU (BUG:, BUG: KASAN: ...), WA (WARNING:), IN (INFO:).
  private static final byte[] FIRST_BYTES = distinctFirstBytes();
  private static final long[] FIRSTS = broadcast(FIRST_BYTES);
  private static final long[] PAIR_FIRSTS;
  // the second bytes in all lanes but the last, which is 0 (see bannerStarts)
  private static final long[] PAIR_SECONDS_LOW;

  static {
    java.util.LinkedHashSet<Integer> pairs = new java.util.LinkedHashSet<>();
    for (String m : MARKS) {
      pairs.add(m.charAt(0) << 8 | m.charAt(1));
    }
    PAIR_FIRSTS = new long[pairs.size()];
    PAIR_SECONDS_LOW = new long[pairs.size()];
    int k = 0;
    for (int p : pairs) {
      PAIR_FIRSTS[k] = (p >>> 8) * 0x0101010101010101L;
      PAIR_SECONDS_LOW[k] = (p & 0xff) * 0x0001010101010101L;
      k++;
    }
  }

  private static byte[] distinctFirstBytes() {
    java.util.LinkedHashSet<Byte> firsts = new java.util.LinkedHashSet<>();
    for (String m : MARKS) {
      firsts.add((byte) m.charAt(0));
    }
    byte[] out = new byte[firsts.size()];
    int k = 0;
    for (byte f : firsts) {
      out[k++] = f;
    }
    return out;
  }

  private static long[] broadcast(byte[] bytes) {
    long[] out = new long[bytes.length];
    for (int k = 0; k < bytes.length; k++) {
      out[k] = (bytes[k] & 0xffL) * 0x0101010101010101L;
    }
    return out;
  }

  /**
   * The index of the byte of the lowest set bit; a popcount, because C1 (which runs {@code parse})
   * turns {@link Long#bitCount} into one instruction but calls {@link Long#numberOfTrailingZeros}.
   */
  static int byteIndex(long bits) {
    return Long.bitCount((bits & -bits) - 1) >>> 3;
  }

  /**
   * Sets the high bit of every byte of {@code x} that is zero, and only those (exact, unlike the
   * cheaper {@code (x - 0x01..) & ~x & 0x80..} test, so that bit counts are line counts).
   */
  static long zeroBytes(long x) {
    long y = (x & LOW7) + LOW7;
    return ~(y | x | LOW7);
  }

  // The banners as bytes (model.Banner is the vocabulary; they are ASCII), by their first byte: a
  // candidate is compared with the few banners that start with its byte only.
  private static final byte[][][] BANNERS_BY_FIRST = bannerBytes();

  private static byte[][][] bannerBytes() {
    byte[][][] out = new byte[256][][];
    for (int f = 0; f < 256; f++) {
      final int first = f;
      out[f] = MARKS.stream().map(m -> m.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
          .filter(b -> (b[0] & 0xff) == first).toArray(byte[][]::new);
    }
    return out;
  }

  /** Whether a report banner starts at {@code a[at]} and ends before {@code len}. */
  static boolean isBanner(byte[] a, int at, int len) {
    for (byte[] b : BANNERS_BY_FIRST[a[at] & 0xff]) {
      if (matches(a, at, len, b)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(byte[] a, int at, int len, byte[] s) {
    if (at + s.length > len) {
      return false;
    }
    for (int k = 0; k < s.length; k++) {
      if (a[at + k] != s[k]) {
        return false;
      }
    }
    return true;
  }
}
