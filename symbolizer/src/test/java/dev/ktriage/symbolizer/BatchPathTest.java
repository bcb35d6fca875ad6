package dev.ktriage.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.symbolizer.load.ObjectLoader;
import dev.ktriage.symbolizer.symbolize.SymbolTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The batch paths answer exactly as one lookup at a time: {@link Symbolizer#resolveAll} (units decoded
 * once per batch, in parallel, kept for later batches; later functions read from their own subtree)
 * against {@link Symbolizer#resolve} on a fresh symbolizer, with live DWARF and through the index
 * (whose batch lookups walk forwards over sorted addresses), for every offset of every text symbol of
 * every kfix variant, as faulting and as return addresses, in one batch and split into many.
 */
class BatchPathTest {

  @TestFactory
  Stream<DynamicTest> batchesAnswerAsSingleLookups() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path dir : KfixFixtures.variants()) {
      tests.add(DynamicTest.dynamicTest(dir.getFileName() + " live", () -> check(dir.resolve("kfix.elf"), false)));
      tests.add(DynamicTest.dynamicTest(dir.getFileName() + " index", () -> check(dir.resolve("kfix.elf"), true)));
    }
    return tests.stream();
  }

  private static List<FrameQuery> everyFrame(Path elf) throws Exception {
    ObjectLoader.Opened opened = ObjectLoader.open(elf, w -> { });
    try {
      SymbolTable symbols = SymbolTable.build(opened.elf());
      List<FrameQuery> out = new ArrayList<>();
      for (int i = 0; i < symbols.size(); i++) {
        long size = symbols.kallsymsSize(i);
        for (long off = 0; off <= Math.min(size, 4096); off++) {
          for (boolean ret : new boolean[] {false, true}) {
            out.add(new FrameQuery(symbols.name(i), off, OptionalLong.of(size), Optional.empty(),
                OptionalLong.empty(), ret));
          }
        }
      }
      // Unsorted input, as a trace is.
      java.util.Collections.shuffle(out, new java.util.Random(7));
      return out;
    } finally {
      opened.resource().close();
    }
  }

  private static void check(Path elf, boolean index) throws Exception {
    List<FrameQuery> queries = everyFrame(elf);
    assertTrue(queries.size() > 100, "fixture has frames");
    Path cache = index ? Files.createTempDirectory("ktriage-batch") : null;
    try {
      SymbolizerOptions opts = SymbolizerOptions.defaults().withRawPaths(true).withThreads(2);
      if (cache != null) {
        opts = opts.withCacheDirectory(cache);
        try (Symbolizer build = Symbolizer.open(elf, opts)) {
          assertTrue(build.hasDebugInfo() || !build.hasDebugInfo());
        }
      }
      List<Resolution> single = new ArrayList<>();
      try (Symbolizer s = Symbolizer.open(elf, opts)) {
        for (FrameQuery q : queries) {
          single.add(s.resolve(q));
        }
      }
      List<Resolution> oneBatch;
      try (Symbolizer s = Symbolizer.open(elf, opts)) {
        oneBatch = s.resolveAll(queries);
      }
      List<Resolution> manyBatches = new ArrayList<>();
      try (Symbolizer s = Symbolizer.open(elf, opts)) {
        for (int from = 0; from < queries.size(); from += 97) {
          manyBatches.addAll(s.resolveAll(queries.subList(from, Math.min(queries.size(), from + 97))));
        }
        // And single lookups after the batches, from the kept units.
        for (int i = 0; i < queries.size(); i += 13) {
          assertEquals(single.get(i), s.resolve(queries.get(i)), "single after batches: " + queries.get(i));
        }
      }
      for (int i = 0; i < queries.size(); i++) {
        assertEquals(single.get(i), oneBatch.get(i), "one batch: " + queries.get(i));
        assertEquals(single.get(i), manyBatches.get(i), "many batches: " + queries.get(i));
      }
    } finally {
      if (cache != null) {
        try (Stream<Path> files = Files.walk(cache)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
  }
}
