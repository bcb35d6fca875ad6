package dev.ktriage.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.symbolizer.Resolution.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SymbolizerOptions#maxLocated()}: a frame naming more same-name, same-size symbols than that
 * is not located (nothing decoded for it), unless its raw address with a known slide picks one. The
 * kfix fixture's two static {@code helper}s stand in for a KASAN kernel's ~440 constructors: with
 * {@code maxLocated} 1, {@code helper+0x5} (no size) names too many.
 */
class TooManyCopiesTest {
  private static final Path ELF = KfixFixtures.root().resolve("x86_64-dwarf5/kfix.elf");
  private static final FrameQuery HELPER = new FrameQuery("helper", 0x5, OptionalLong.empty(), Optional.empty(),
      OptionalLong.empty(), true);

  @TempDir
  Path tmp;

  private static SymbolizerOptions one() {
    return SymbolizerOptions.defaults().withMaxLocated(1);
  }

  @Test
  void overTheLimitEveryCopyIsListedButNoneLocated() throws Exception {
    List<Candidate> located;
    try (Symbolizer s = Symbolizer.open(ELF, SymbolizerOptions.defaults())) {
      Resolution r = s.resolve(HELPER);
      assertEquals(Status.AMBIGUOUS, r.status());
      assertTrue(r.located());
      located = r.candidates();
      assertEquals(2, located.size());
      assertTrue(located.get(0).frames().get(0).line().isPresent(), "located: a line each");
    }
    try (Symbolizer s = Symbolizer.open(ELF, one())) {
      Resolution r = s.resolve(HELPER);
      assertEquals(Status.AMBIGUOUS, r.status());
      assertFalse(r.located());
      assertTrue(r.detail().orElseThrow().contains("2 symbols named helper"), r.detail().toString());
      assertTrue(r.detail().orElseThrow().contains("more than 1: not located"), r.detail().toString());
      assertEquals(2, r.candidates().size());
      for (int k = 0; k < 2; k++) {
        Candidate c = r.candidates().get(k);
        Candidate l = located.get(k);
        // the same copies, at the same addresses, with their symbol only
        assertEquals(l.address(), c.address());
        assertEquals(l.lookupAddress(), c.lookupAddress());
        assertEquals(List.of(new SourceFrame("helper", Optional.empty(), Optional.empty(),
            java.util.OptionalInt.empty(), java.util.OptionalInt.empty(), false)), c.frames());
      }
      // a batch answers alike and decodes nothing for it
      assertEquals(List.of(r), s.resolveAll(List.of(HELPER)));
      assertEquals(0.0, s.decodedShare());
    }
  }

  @Test
  void theRawAddressWithTheSlideStillPicksOne() throws Exception {
    long slide = 0x3a000000L;
    Candidate beta;
    Candidate anchorAt;
    try (Symbolizer s = Symbolizer.open(ELF, SymbolizerOptions.defaults())) {
      beta = s.resolve(new FrameQuery("helper", 0x5, OptionalLong.of(0x30), Optional.empty(), OptionalLong.empty(),
          true)).single().orElseThrow();
      anchorAt = s.resolve(new FrameQuery("alpha_work", 0x10, OptionalLong.empty(), Optional.empty(),
          OptionalLong.empty(), true)).single().orElseThrow();
    }
    FrameQuery anchor = new FrameQuery("alpha_work", 0x10, OptionalLong.empty(), Optional.empty(),
        OptionalLong.of(anchorAt.address() + slide), true);
    FrameQuery dup = new FrameQuery("helper", 0x5, OptionalLong.empty(), Optional.empty(),
        OptionalLong.of(beta.address() + slide), true);
    for (SymbolizerOptions o : List.of(one(), one().withCacheDirectory(tmp.resolve("cache")))) {
      try (Symbolizer s = Symbolizer.open(ELF, o)) {
        List<Resolution> rs = s.resolveAll(List.of(anchor, dup));
        assertEquals(Status.RESOLVED, rs.get(1).status());
        assertTrue(rs.get(1).located());
        assertEquals(beta.frames(), rs.get(1).single().orElseThrow().frames());
        assertEquals(rs.get(1), s.resolve(dup, OptionalLong.of(slide)));
        // without the slide: not located
        assertFalse(s.resolve(dup).located());
      }
    }
  }

  @Test
  void theIndexAnswersAsTheDwarfDoes() throws Exception {
    Resolution live;
    try (Symbolizer s = Symbolizer.open(ELF, one())) {
      live = s.resolve(HELPER);
    }
    SymbolizerOptions cached = one().withCacheDirectory(tmp.resolve("cache"));
    try (Symbolizer s = Symbolizer.open(ELF, cached)) {
      assertEquals(IndexState.Status.BUILT, s.indexState().status());
      assertEquals(live, s.resolve(HELPER));
      assertEquals(List.of(live), s.resolveAll(List.of(HELPER)));
    }
  }

  @Test
  void theLimitIsAtLeastOne() {
    assertThrows(IllegalArgumentException.class, () -> SymbolizerOptions.defaults().withMaxLocated(0));
    assertEquals(16, SymbolizerOptions.defaults().maxLocated());
  }
}
