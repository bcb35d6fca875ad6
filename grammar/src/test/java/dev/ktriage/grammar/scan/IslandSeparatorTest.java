package dev.ktriage.grammar.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rule of '=' that ends a KASAN report, and the SLUB rule of 77 that must not. */
class IslandSeparatorTest {

  @Test
  void kasanRulesEndReportsAndLongerOrShorterOnesDoNot() {
    assertTrue(Island.isSeparator("=".repeat(66)), "KASAN's rule");
    assertTrue(Island.isSeparator("  " + "=".repeat(66) + " \\t\\r".translateEscapes()));
    assertTrue(Island.isSeparator("=".repeat(10)));
    assertTrue(Island.isSeparator("=".repeat(74)));
    assertTrue(Island.isSeparator("=".repeat(80)), "lib/ubsan.c's rule");
    assertFalse(Island.isSeparator("=".repeat(77)), "SLUB's object dump rule");
    assertFalse(Island.isSeparator("=".repeat(9)));
    assertFalse(Island.isSeparator("=".repeat(77)), "SLUB's object dump rule inside 3.x reports");
    assertFalse(Island.isSeparator("=".repeat(33) + " " + "=".repeat(33)));
    assertFalse(Island.isSeparator(" kasan_report+0x8a/0xd0"));
    assertFalse(Island.isSeparator(""));
    assertFalse(Island.isSeparator("   "));
  }

  @Test
  void sameAsStrippingFirst() {
    // The reading that strips the line first, which the scanner's version must equal.
    Random r = new Random(3);
    String[] parts = {"=", "=", "=", " ", "\t", "\r", "x", "\u2003", "=========="};
    for (int n = 0; n < 100_000; n++) {
      StringBuilder b = new StringBuilder();
      int len = r.nextInt(12);
      for (int k = 0; k < len; k++) {
        b.append(parts[r.nextInt(parts.length)]);
      }
      String line = b.toString();
      String s = line.strip();
      boolean expected = s.length() >= 10 && (s.length() <= 74 || s.length() == 80)
          && s.chars().allMatch(c -> c == '=');
      assertEquals(expected, Island.isSeparator(line), line);
    }
  }
}
