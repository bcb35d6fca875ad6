package dev.ktriage.grammar.scan;

import dev.ktriage.model.Banner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the byte scanner looks for, and how it finds it without looking at every byte: the marks are
 * every banner's text ({@link Banner}) and the anchors of the suppression lines ({@link Suppressions}),
 * which may be anywhere in a log, so the blocks the scanner skips must not hide them.
 *
 * <p>The search looks up the three bytes that start at each even offset of the log in a bitmap of
 * their hashes (four lookups per eight bytes), whatever the marks are: a mark of four or more bytes
 * always holds three bytes that start at an even offset of the log, and which three depends only on
 * whether the mark starts at an even or an odd offset. So each mark has two anchors, one for each
 * parity, chosen among its three-byte pieces of that parity as the rarest in console text
 * ({@link #rarity}). A hit is only a candidate: the marks anchored on it are compared in full
 * ({@link #firstStart}). The cost per byte grows neither with the number of marks nor with how common
 * their first bytes are (marks that begin with a lower-case letter, {@code general protection fault},
 * made the earlier first-byte filter look at nearly every word: bench/parse/RESULTS.md).
 *
 * <p>Stateless after class initialization; thread-safe.
 */
final class Marks {
  private Marks() {} // no instance

  /** The marks, as bytes (they are ASCII). */
  static final List<String> TEXTS = Stream.concat(
      Arrays.stream(Banner.values()).map(Banner::text), Suppressions.ANCHORS.stream()).distinct().toList();

  /** The longest mark's length; one that starts this close to the end of a block may go on in the next. */
  static final int LONGEST = TEXTS.stream().mapToInt(String::length).max().orElseThrow();

  /** The largest offset of an anchor in its mark: a mark starts at most this far before its anchor. */
  static final int MAX_ANCHOR_OFFSET;

  /** The most marks that share one anchor. */
  static final int MAX_PER_ANCHOR;

  /** Bytes in an anchor. */
  static final int ANCHOR = 3;
  // Bit hash(k) of the bitmap is set for every anchor k (k = first byte | second << 8 | third << 16).
  private static final long[] ANCHORS = new long[1 << 10];
  // The anchored marks: KEYS sorted, and for KEYS[k] the marks (as bytes) and their anchors' offsets.
  private static final int[] KEYS;
  private static final byte[][][] MARKS_BY_KEY;
  private static final String[][] STRINGS_BY_KEY;
  private static final int[][] OFFSETS_BY_KEY;
  // The marks by their first byte, for the byte-wise paths.
  private static final byte[][][] BY_FIRST = new byte[256][][];
  private static final byte[] FIRST_BYTES;

  static {
    TreeMap<Integer, List<int[]>> anchored = new TreeMap<>(); // key -> {mark index, offset}
    int maxOffset = 0;
    for (int m = 0; m < TEXTS.size(); m++) {
      byte[] b = bytes(TEXTS.get(m));
      if (b.length < ANCHOR + 1) {
        throw new IllegalStateException("a mark needs four bytes to hold an anchor at an even offset: " + TEXTS.get(m));
      }
      for (int parity = 0; parity < 2; parity++) {
        // the mark starts at an offset of this parity; its pieces at even offsets of the log start at
        // the offsets o of the mark that have the same parity
        int best = -1;
        for (int o = parity; o + ANCHOR <= b.length; o += 2) {
          if (best < 0 || rarity(b, o) < rarity(b, best)) {
            best = o;
          }
        }
        int key = key(b, best);
        List<int[]> at = anchored.computeIfAbsent(key, k -> new ArrayList<>());
        int mark = m;
        int offset = best;
        if (at.stream().noneMatch(e -> e[0] == mark && e[1] == offset)) {
          at.add(new int[] {m, best});
        }
        ANCHORS[hash(key) >>> 6] |= 1L << hash(key);
        maxOffset = Math.max(maxOffset, best);
      }
    }
    MAX_ANCHOR_OFFSET = maxOffset;
    MAX_PER_ANCHOR = anchored.values().stream().mapToInt(List::size).max().orElse(0);
    KEYS = anchored.keySet().stream().mapToInt(Integer::intValue).toArray();
    MARKS_BY_KEY = new byte[KEYS.length][][];
    STRINGS_BY_KEY = new String[KEYS.length][];
    OFFSETS_BY_KEY = new int[KEYS.length][];
    for (int k = 0; k < KEYS.length; k++) {
      List<int[]> at = anchored.get(KEYS[k]);
      MARKS_BY_KEY[k] = at.stream().map(e -> bytes(TEXTS.get(e[0]))).toArray(byte[][]::new);
      STRINGS_BY_KEY[k] = at.stream().map(e -> TEXTS.get(e[0])).toArray(String[]::new);
      OFFSETS_BY_KEY[k] = at.stream().mapToInt(e -> e[1]).toArray();
    }
    LinkedHashSet<Byte> firsts = new LinkedHashSet<>();
    for (int f = 0; f < 256; f++) {
      int first = f;
      BY_FIRST[f] = TEXTS.stream().map(Marks::bytes).filter(b -> (b[0] & 0xff) == first).toArray(byte[][]::new);
    }
    for (String t : TEXTS) {
      firsts.add((byte) t.charAt(0));
    }
    FIRST_BYTES = new byte[firsts.size()];
    int k = 0;
    for (byte f : firsts) {
      FIRST_BYTES[k++] = f;
    }
  }

  private static byte[] bytes(String mark) {
    byte[] b = mark.getBytes(StandardCharsets.US_ASCII);
    for (byte c : b) {
      if (c == '\n' || c == '\r' || c == 0) {
        // the scanner's line counting relies on it: no line ends between a mark's start and its anchor
        throw new IllegalStateException("a mark holds no line end or NUL: " + mark);
      }
    }
    return b;
  }

  private static int key(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16;
  }

  // 16 bits of a multiplicative hash of three bytes
  private static int hash(int key) {
    return (key * 0x9E3779B1) >>> 16;
  }

  /** Bit 0 is set when three bytes ({@code key}, little-endian) may be an anchor. Small enough for C1 to inline. */
  static long anchorBit(int key) {
    int h = (key * 0x9E3779B1) >>> 16;
    return ANCHORS[h >>> 6] >>> h;
  }

  /**
   * Bit 0 is set when one of the four pieces of three bytes that start at the even offsets of {@code w}
   * (a little-endian word of the log; {@code next} is the word after it, or what of it there is, padded
   * with zeros) may be an anchor.
   */
  static long anchors(long w, long next) {
    // In three methods of under 35 bytes of bytecode each: C1, which runs `parse`, inlines no larger
    // method, and this one runs four times per 32 bytes of the log.
    return (lowAnchors(w) | highAnchors(w, next)) & 1;
  }

  private static long lowAnchors(long w) {
    return anchorBit((int) w & 0xffffff) | anchorBit((int) (w >>> 16) & 0xffffff);
  }

  private static long highAnchors(long w, long next) {
    return anchorBit((int) (w >>> 32) & 0xffffff) | anchorBit((int) (w >>> 48) | ((int) next & 0xff) << 16);
  }

  /** Whether the three bytes at byte {@code k} (0, 2, 4 or 6) of {@code w}, then {@code next}, may be an anchor. */
  static boolean mayAnchor(long w, long next, int k) {
    int key = k < 6 ? (int) (w >>> (k << 3)) & 0xffffff : (int) (w >>> 48) | ((int) next & 0xff) << 16;
    return (anchorBit(key) & 1) != 0;
  }

  /**
   * Whether a mark occurs in {@code s}. The byte scanner's search on a decoded line: one anchor lookup
   * per two characters (a mark that starts at an even index of the string has its even-parity anchor at
   * an even index, one that starts at an odd index its odd-parity anchor), and the marks anchored on a
   * hit compared in full, instead of a search for each mark, which is what every line of an open report
   * paid in {@link OopsHeaders#find} and {@link Suppressions#reason} (bench/parse/RESULTS.md).
   */
  static boolean occursIn(String s) {
    int last = s.length() - ANCHOR;
    for (int i = 0; i <= last; i += 2) {
      int a = s.charAt(i);
      int b = s.charAt(i + 1);
      int c = s.charAt(i + 2);
      // marks are ASCII: a piece with a wider character anchors none
      if ((a | b | c) <= 0xff && (anchorBit(a | b << 8 | c << 16) & 1) != 0 && anchored(s, i, a | b << 8 | c << 16)) {
        return true;
      }
    }
    return false;
  }

  // Whether a mark anchored by `key` at s[p] occurs there.
  private static boolean anchored(String s, int p, int key) {
    int k = Arrays.binarySearch(KEYS, key);
    if (k < 0) {
      return false;
    }
    String[] marks = STRINGS_BY_KEY[k];
    int[] offsets = OFFSETS_BY_KEY[k];
    for (int e = 0; e < marks.length; e++) {
      if (s.startsWith(marks[e], p - offsets[e])) { // false for a start before 0
        return true;
      }
    }
    return false;
  }

  /**
   * Writes to {@code out} (of {@link #MAX_PER_ANCHOR} or more) the starts of the marks anchored at
   * {@code a[p]} that start at or after 0 and end at or before {@code len}; returns how many.
   */
  static int starts(byte[] a, int p, int len, int[] out) {
    if (p + ANCHOR > len) {
      return 0; // the anchor, and so the mark, does not end before len
    }
    int k = Arrays.binarySearch(KEYS, key(a, p));
    if (k < 0) {
      return 0;
    }
    int n = 0;
    byte[][] marks = MARKS_BY_KEY[k];
    int[] offsets = OFFSETS_BY_KEY[k];
    for (int e = 0; e < marks.length; e++) {
      int start = p - offsets[e];
      if (start >= 0 && matches(a, start, len, marks[e])) {
        out[n++] = start;
      }
    }
    return n;
  }

  /**
   * The smallest start of a mark anchored at {@code a[p]} that starts at or after {@code floor} and ends
   * at or before {@code len}; -1 if none.
   */
  static int firstStart(byte[] a, int p, int floor, int len) {
    if (p + ANCHOR > len) {
      return -1; // the anchor, and so the mark, does not end before len
    }
    int k = Arrays.binarySearch(KEYS, key(a, p));
    if (k < 0) {
      return -1;
    }
    int best = -1;
    byte[][] marks = MARKS_BY_KEY[k];
    int[] offsets = OFFSETS_BY_KEY[k];
    for (int e = 0; e < marks.length; e++) {
      int start = p - offsets[e];
      if (start >= floor && (best < 0 || start < best) && matches(a, start, len, marks[e])) {
        best = start;
      }
    }
    return best;
  }

  /** Whether a mark starts at {@code a[at]} and ends at or before {@code len}. */
  static boolean startsAt(byte[] a, int at, int len) {
    for (byte[] m : BY_FIRST[a[at] & 0xff]) {
      if (matches(a, at, len, m)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a mark may start with byte {@code b}. */
  static boolean mayStart(byte b) {
    for (byte f : FIRST_BYTES) {
      if (b == f) {
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

  /**
   * How common the three bytes at {@code b[at]} are in console text, lower is rarer: only the choice of
   * anchors depends on it, and so how often a candidate has to be compared, never what is found. Kernel
   * messages are mostly lower-case English words, numbers and spaces; capitals (acronyms, banners) and
   * punctuation other than the console's own ({@code [ ] . : - _ / = , ( )}, in time stamps, addresses,
   * device names) are rare.
   */
  static double rarity(byte[] b, int at) {
    double sum = 0;
    for (int k = at; k < at + ANCHOR; k++) {
      sum += commonness((char) b[k]);
    }
    return sum;
  }

  // Lower-case letters in the order of their frequency in English text.
  private static final String LETTERS = "etaoinshrdlcumwfgypbvkjxqz";

  private static double commonness(char c) {
    if (c >= 'a' && c <= 'z') {
      return 4 - LETTERS.indexOf(c) / 26.0; // 4 (e) .. 3.04 (z)
    }
    if (c >= '0' && c <= '9' || c == ' ') {
      return 4;
    }
    return ".:[]-_/=,()".indexOf(c) >= 0 ? 2 : 0;
  }
}
