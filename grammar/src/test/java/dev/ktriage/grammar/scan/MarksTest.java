package dev.ktriage.grammar.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Marks#occursIn} is the pre-test of the per-line searches ({@link OopsHeaders#find},
 * {@link Suppressions#reason}): it must say whether a line holds a mark exactly as a search for each
 * mark would, wherever the mark starts (either parity) and whatever surrounds it.
 */
class MarksTest {

  // Whether some mark occurs in s, by plain search.
  private static boolean holdsMark(String s) {
    return Marks.TEXTS.stream().anyMatch(s::contains);
  }

  @Test
  void everyMarkIsSeenAtEveryOffsetAndEitherParity() {
    for (String m : Marks.TEXTS) {
      for (int before = 0; before < 4; before++) {
        for (int after = 0; after < 3; after++) {
          String s = "x".repeat(before) + m + "é".repeat(after);
          assertTrue(Marks.occursIn(s), () -> "missed: [" + s + "]");
        }
      }
    }
  }

  @Test
  void agreesWithASearchForEachMarkOnRandomLines() {
    Random r = new Random(20261208);
    String[] pieces = {" ", "a", "B", "UG", ":", "[  12.345678][ T1234] ", "\u00a0", "\u20ac", "K", "ill"};
    for (int round = 0; round < 50_000; round++) {
      StringBuilder b = new StringBuilder();
      int n = r.nextInt(30);
      for (int k = 0; k < n; k++) {
        if (r.nextInt(6) == 0) {
          String m = Marks.TEXTS.get(r.nextInt(Marks.TEXTS.size()));
          b.append(r.nextBoolean() ? m : m.substring(0, m.length() - 1));
        } else {
          b.append(pieces[r.nextInt(pieces.length)]);
        }
      }
      String s = b.toString();
      assertEquals(holdsMark(s), Marks.occursIn(s), () -> "[" + s + "]");
    }
  }

  @Test
  void ordinaryConsoleLinesHoldNone() {
    // What most of a log is.
    assertFalse(Marks.occursIn("[  100.123456][ T4321] EXT4-fs (loop3): mounted filesystem without journal."));
    assertFalse(Marks.occursIn("[  100.123456][ T4321] bridge0: port 2(bridge_slave_1) entered forwarding state"));
    assertFalse(Marks.occursIn(""));
    assertFalse(Marks.occursIn("BU"));
    assertEquals(true, Marks.occursIn("[  100.123456][ T4321] BUG: KASAN: slab-use-after-free in foo+0x1/0x2"));
  }
}
