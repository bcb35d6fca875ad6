package dev.ktriage.store.opensearch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeenIdsTest {
  private static String id(SplittableRandom r) {
    byte[] b = new byte[16];
    r.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Test
  void everyAddedIdIsSeenAndOthersAreNotThroughManyGrowths() {
    SeenIds seen = new SeenIds();
    SplittableRandom added = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      seen.add(id(added));
    }
    SplittableRandom again = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      assertTrue(seen.mightContain(id(again)), "added id " + i);
    }
    SplittableRandom other = new SplittableRandom(2);
    for (int i = 0; i < 100_000; i++) {
      assertFalse(seen.mightContain(id(other)), "never added, id " + i); // a false hit needs 64 equal bits
    }
  }

  @Test
  void anIdOfZeroBitsIsKept() {
    SeenIds seen = new SeenIds();
    String zero = "0".repeat(32);
    assertFalse(seen.mightContain(zero));
    seen.add(zero);
    assertTrue(seen.mightContain(zero));
  }
}
