package dev.ktriage.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** SourceFrame's hand-written equals and hashCode keep the record's value semantics. */
class SourceFrameTest {

  private static final SourceFrame F = new SourceFrame("f", Optional.of("f_l"), Optional.of("a.c"), OptionalInt.of(3),
      OptionalInt.of(7), true);

  @Test
  void equalWhenEveryComponentIsEqual() {
    SourceFrame same = new SourceFrame(new String("f"), Optional.of("f_l"), Optional.of(new String("a.c")),
        OptionalInt.of(3), OptionalInt.of(7), true);
    assertEquals(F, same);
    assertEquals(F.hashCode(), same.hashCode());
    assertEquals(List.of(F, same), List.of(same, F));
  }

  @Test
  void differentWhenAnyComponentDiffers() {
    for (SourceFrame other : List.of(
        new SourceFrame("g", Optional.of("f_l"), Optional.of("a.c"), OptionalInt.of(3), OptionalInt.of(7), true),
        new SourceFrame("f", Optional.empty(), Optional.of("a.c"), OptionalInt.of(3), OptionalInt.of(7), true),
        new SourceFrame("f", Optional.of("f_l"), Optional.of("b.c"), OptionalInt.of(3), OptionalInt.of(7), true),
        new SourceFrame("f", Optional.of("f_l"), Optional.of("a.c"), OptionalInt.empty(), OptionalInt.of(7), true),
        new SourceFrame("f", Optional.of("f_l"), Optional.of("a.c"), OptionalInt.of(3), OptionalInt.of(8), true),
        new SourceFrame("f", Optional.of("f_l"), Optional.of("a.c"), OptionalInt.of(3), OptionalInt.of(7), false))) {
      assertNotEquals(F, other, other.toString());
      assertNotEquals(other, F, other.toString());
    }
    assertNotEquals(F, null);
    assertNotEquals(F, "f");
  }
}
