package dev.ktriage.depot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdFilterTest {
  @Test
  void holdsWhatWasAddedAndNothingElse() {
    IdFilter f = new IdFilter();
    Set<Long> in = new HashSet<>();
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 50_000; i++) {
      long k = i % 1000 == 0 ? 0 : r.nextLong();
      f.add(k);
      in.add(k);
    }
    assertEquals(in.size(), f.size());
    for (long k : in) {
      assertTrue(f.mightContain(k));
    }
    for (int i = 0; i < 50_000; i++) {
      long k = r.nextLong();
      assertEquals(in.contains(k), f.mightContain(k));
    }
    assertEquals(0x0123456789abcdefL, IdFilter.key("0123456789abcdef0000ffff0000ffff"));
    assertEquals(0xfedcba9876543210L, IdFilter.key("fedcba98765432100000000000000000"));
    assertFalse(new IdFilter().mightContain(0));
  }
}
