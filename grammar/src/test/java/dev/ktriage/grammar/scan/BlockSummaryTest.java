package dev.ktriage.grammar.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The block summary counts newlines and finds every mark a word or four at a time, by the pieces
 * that anchor the marks; it must agree with a byte-by-byte reading wherever newlines, marks, their
 * anchors and marks cut short fall relative to the 8- and 32-byte rounds and to the end of the block.
 */
class BlockSummaryTest {

  private static final String[] PIECES = pieces();

  // Newlines, filler, capital Bs, and every mark whole, cut after its first and second byte, and
  // without its last byte (its anchors, the pairs the word test looks for, are inside it).
  private static String[] pieces() {
    java.util.List<String> p = new java.util.ArrayList<>(java.util.List.of(
        "\n", "B", "BUG", "BUG: KASA", "x", "abc", "noise line ", "Bb\n", "\n\n"));
    for (String m : Marks.TEXTS) {
      p.add(m);
      p.add(m.substring(0, 1));
      p.add(m.substring(0, 2));
      p.add(m.substring(0, m.length() - 1));
      p.add(m.substring(1));
    }
    return p.toArray(String[]::new);
  }

  /** Byte-by-byte reference. */
  private static BlockSummary reference(byte[] a, int len) {
    long lines = 0;
    int first = -1;
    int last = -1;
    int banner = -1;
    long before = -1;
    java.util.List<Integer> marks = new java.util.ArrayList<>();
    for (int i = 0; i < len; i++) {
      if (BlockSummary.isBanner(a, i, len)) {
        marks.add(i);
      }
      if (banner < 0 && BlockSummary.isBanner(a, i, len)) {
        banner = i;
        before = lines;
      }
      if (a[i] == '\n') {
        lines++;
        if (first < 0) {
          first = i;
        }
        last = i;
      }
    }
    return new BlockSummary(lines, first, last, banner, banner < 0 ? lines : before,
        marks.stream().mapToInt(Integer::intValue).toArray());
  }

  @Test
  void agreesWithBytewiseReadingOnRandomBlocks() {
    Random r = new Random(20261204);
    for (int round = 0; round < 20_000; round++) {
      StringBuilder b = new StringBuilder();
      int pieces = r.nextInt(40);
      for (int k = 0; k < pieces; k++) {
        // Mostly filler, so that banners land at every offset of a round and near the end.
        b.append(r.nextInt(4) == 0 ? PIECES[r.nextInt(PIECES.length)] : "z".repeat(r.nextInt(9)));
      }
      byte[] a = (b + "pad-bytes-past-the-block-length").getBytes(StandardCharsets.US_ASCII);
      int len = b.length();
      assertEquals(reference(a, len), BlockSummary.of(a, len), () -> "block: " + b);
    }
  }

  @Test
  void findsEveryMarkAndCountsLinesBeforeTheFirst() {
    String block = "a\n".repeat(40) + "xxBUG: KCSAN: data-race\n" + "BUG: KASAN: x\n".repeat(3);
    byte[] a = block.getBytes(StandardCharsets.US_ASCII);
    BlockSummary s = BlockSummary.of(a, a.length);
    assertEquals(82, s.banner());
    assertEquals(40, s.newlinesBeforeBanner());
    assertEquals(44, s.newlines());
    // "BUG:" and "BUG: KCSAN: " start at one place: one start each
    assertEquals(java.util.List.of(82, 104, 118, 132), java.util.Arrays.stream(s.marks()).boxed().toList());
    assertEquals(104, s.markFrom(83));
    assertEquals(-1, s.markFrom(133));
  }

  @Test
  void aBannerCutByTheBlockEndIsNotABanner() {
    String block = "y".repeat(61) + "BUG"; // "BUG:" is a banner: cut before its colon
    byte[] a = block.getBytes(StandardCharsets.US_ASCII);
    assertEquals(-1, BlockSummary.of(a, a.length).banner());
  }
}
