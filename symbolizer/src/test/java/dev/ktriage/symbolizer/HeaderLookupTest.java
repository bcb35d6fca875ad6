package dev.ktriage.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.symbolizer.FrameQuery.Lookup;
import dev.ktriage.symbolizer.load.ObjectLoader;
import dev.ktriage.symbolizer.symbolize.SymbolTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Lookup#EXACT_ELSE_CALL}, how a KASAN header's location is read: at its own address, or at
 * the call before it when its own address has no line. On the clang fixture the report calls of
 * kasan.c return to a jump of line 0 (see kasan.c); there the header gets the access's line.
 */
class HeaderLookupTest {
  private static final Path CLANG = KfixFixtures.root().resolve("x86_64-clang-dwarf5/kfix.elf");

  @TempDir
  Path tmp;

  private static List<FrameQuery> every(Path elf, Lookup lookup) throws Exception {
    ObjectLoader.Opened opened = ObjectLoader.open(elf, w -> { });
    try {
      SymbolTable symbols = SymbolTable.build(opened.elf());
      List<FrameQuery> out = new ArrayList<>();
      for (int i = 0; i < symbols.size(); i++) {
        long size = symbols.kallsymsSize(i);
        for (long off = 0; off < Math.min(size, 4096); off++) {
          out.add(new FrameQuery(symbols.name(i), off, OptionalLong.of(size), Optional.empty(), OptionalLong.empty(),
              lookup));
        }
      }
      return out;
    } finally {
      opened.resource().close();
    }
  }

  private static boolean hasLine(Resolution r) {
    return r.candidates().get(0).frames().get(0).line().isPresent();
  }

  @Test
  void lineZeroAfterTheReportCallIsReadAtTheCall() throws Exception {
    try (Symbolizer s = Symbolizer.open(CLANG, SymbolizerOptions.defaults())) {
      int fellBack = 0;
      for (FrameQuery q : every(CLANG, Lookup.EXACT_ELSE_CALL)) {
        Resolution header = s.resolve(q);
        Resolution exact = s.resolve(withLookup(q, Lookup.EXACT));
        Candidate c = header.candidates().get(0);
        if (hasLine(exact) || q.offset() == 0) {
          assertEquals(exact, header, q.toString());
          continue;
        }
        Resolution call = s.resolve(withLookup(q, Lookup.RETURN_ADDRESS));
        if (hasLine(call)) {
          // never line-less where the byte before has a line: that answer, at that address
          assertEquals(call.candidates().get(0).frames(), c.frames(), q.toString());
          assertEquals(c.address() - 1, c.lookupAddress());
          fellBack++;
        } else {
          assertEquals(exact, header, q.toString());
        }
      }
      assertTrue(fellBack > 0, "the fixture has report calls returning to line 0");
    }
  }

  @Test
  void theReportReturnOfKasanReadSlot() throws Exception {
    // kasan_read_slot's report calls return to a jump of line 0 (objdump -d); read at the call,
    // the header gets the line of the checked access (kasan.c:18-22).
    try (Symbolizer s = Symbolizer.open(CLANG, SymbolizerOptions.defaults())) {
      int found = 0;
      for (FrameQuery q : every(CLANG, Lookup.EXACT_ELSE_CALL)) {
        if (!q.function().equals("kasan_read_slot")) {
          continue;
        }
        Resolution exact = s.resolve(withLookup(q, Lookup.EXACT));
        Resolution header = s.resolve(q);
        if (!hasLine(exact) && hasLine(header)) {
          found++;
          SourceFrame f = header.candidates().get(0).frames().get(0);
          assertEquals("kasan_read_slot", f.function());
          assertTrue(f.file().orElseThrow().endsWith("kasan.c"), f.toString());
          assertTrue(f.line().getAsInt() >= 18 && f.line().getAsInt() <= 22, f.toString());
        }
      }
      assertTrue(found >= 2, "report-call returns in kasan_read_slot: " + found);
    }
  }

  @Test
  void batchesAndTheIndexFallBackAlike() throws Exception {
    List<FrameQuery> qs = every(CLANG, Lookup.EXACT_ELSE_CALL);
    List<Resolution> single = new ArrayList<>();
    try (Symbolizer s = Symbolizer.open(CLANG, SymbolizerOptions.defaults())) {
      for (FrameQuery q : qs) {
        single.add(s.resolve(q));
      }
    }
    try (Symbolizer s = Symbolizer.open(CLANG, SymbolizerOptions.defaults())) {
      assertEquals(single, s.resolveAll(qs));
    }
    SymbolizerOptions cached = SymbolizerOptions.defaults().withCacheDirectory(tmp.resolve("cache"));
    try (Symbolizer s = Symbolizer.open(CLANG, cached)) {
      assertFalse(s.resolveAll(qs).isEmpty());
    }
    assertTrue(Files.list(tmp.resolve("cache")).findAny().isPresent());
    try (Symbolizer s = Symbolizer.open(CLANG, cached)) {
      assertEquals(single, s.resolveAll(qs));
    }
  }

  private static FrameQuery withLookup(FrameQuery q, Lookup l) {
    return new FrameQuery(q.function(), q.offset(), q.size(), q.module(), q.address(), l);
  }
}
