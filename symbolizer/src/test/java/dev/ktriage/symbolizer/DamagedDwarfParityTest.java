package dev.ktriage.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.elf.ElfSection;
import dev.ktriage.symbolizer.load.ObjectLoader;
import dev.ktriage.symbolizer.symbolize.SymbolTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * On damaged DWARF, the three ways of answering give the same answer or the same one-line
 * diagnostic: one lookup at a time from live DWARF, a batch from live DWARF, and the persistent
 * index built from the damaged file. The damage is what a fault-injection probe found to split them
 * (issue 19 item 3): a wrong {@code header_length} in each line program, byte flips in
 * {@code .debug_ranges}/{@code .debug_rnglists} and {@code .debug_str}, plus flips in
 * {@code .debug_info} and {@code .debug_abbrev}, on uncompressed fixtures (DWARF 4 and 5, 64- and
 * 32-bit).
 */
class DamagedDwarfParityTest {
  @TempDir
  Path tmp;

  @TestFactory
  Stream<DynamicTest> damagedDwarfAnswersAlike() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path dir : KfixFixtures.variants()) {
      String v = dir.getFileName().toString();
      // Mutations are made to the file's bytes: compressed and relocatable variants are left out.
      if (v.contains("zlib") || v.contains("zstd") || v.contains("zdebug") || v.startsWith("module")) {
        continue;
      }
      for (Mutant m : mutants(dir.resolve("kfix.elf"))) {
        tests.add(DynamicTest.dynamicTest(v + " " + m.name(), () -> check(dir.resolve("kfix.elf"), m)));
      }
    }
    return tests.stream();
  }

  /** A damaged copy of a fixture. */
  record Mutant(String name, byte[] bytes) {}

  static List<Mutant> mutants(Path elf) throws Exception {
    byte[] all = Files.readAllBytes(elf);
    List<Mutant> out = new ArrayList<>();
    out.add(new Mutant("undamaged", all));
    ObjectLoader.Opened opened = ObjectLoader.open(elf, w -> { });
    ElfFile f;
    try {
      f = opened.elf();
    } finally {
      opened.resource().close();
    }
    ByteOrder order = f.byteOrder();
    Optional<ElfSection> line = f.section(".debug_line");
    if (line.isPresent()) {
      ByteBuffer b = ByteBuffer.wrap(all).order(order);
      long at = line.get().offset();
      long end = at + line.get().size();
      int program = 0;
      while (at + 12 <= end) {
        long unitLength = Integer.toUnsignedLong(b.getInt((int) at));
        int version = b.getShort((int) at + 4);
        int hl = (int) at + 6 + (version >= 5 ? 2 : 0);
        int good = b.getInt(hl);
        for (int bad : new int[] {0, 1, good - 1, good + 1, good + 9, 0x7fffffff, -1}) {
          byte[] copy = all.clone();
          ByteBuffer.wrap(copy).order(order).putInt(hl, bad);
          out.add(new Mutant("debug_line program " + program + " header_length " + bad, copy));
        }
        program++;
        at += 4 + unitLength;
      }
    }
    Random rnd = new Random(19);
    for (String name : new String[] {".debug_ranges", ".debug_rnglists", ".debug_str", ".debug_info",
        ".debug_abbrev", ".debug_line_str", ".debug_aranges"}) {
      Optional<ElfSection> s = f.section(name);
      if (s.isEmpty() || s.get().size() == 0) {
        continue;
      }
      int n = name.equals(".debug_info") || name.equals(".debug_str") ? 24 : 12;
      for (int k = 0; k < n; k++) {
        byte[] copy = all.clone();
        int pos = (int) (s.get().offset() + rnd.nextInt((int) s.get().size()));
        int x = k % 3 == 0 ? 0xff : 1 << rnd.nextInt(8);
        copy[pos] ^= (byte) x;
        out.add(new Mutant(name + " flip 0x" + Integer.toHexString(x) + " at 0x" + Integer.toHexString(pos), copy));
      }
    }
    return out;
  }

  private void check(Path original, Mutant m) throws Exception {
    Path elf = tmp.resolve("vmlinux");
    Files.write(elf, m.bytes());
    List<FrameQuery> queries = everyFrame(original);
    SymbolizerOptions base = SymbolizerOptions.defaults().withRawPaths(true).withThreads(2);
    // A fresh cache per mutant: every mutant has the fixture's build-id and size, which is what an
    // index is keyed by.
    Path cache = Files.createTempDirectory(tmp, "cache");
    List<Resolution> single = new ArrayList<>();
    List<Resolution> batch;
    List<Resolution> indexed;
    List<List<SourceFrame>> singleFrames = new ArrayList<>();
    List<List<SourceFrame>> indexedFrames = new ArrayList<>();
    try (Symbolizer s = Symbolizer.open(elf, base)) {
      for (FrameQuery q : queries) {
        single.add(s.resolve(q));
      }
      for (long pc : pcs(original)) {
        singleFrames.add(s.frames(pc, false));
      }
    }
    try (Symbolizer s = Symbolizer.open(elf, base)) {
      batch = s.resolveAll(queries);
    }
    try (Symbolizer s = Symbolizer.open(elf, base.withCacheDirectory(cache))) {
      // the first open builds the index; answers come from the second
      assertTrue(s.path().equals(elf));
    }
    try (Symbolizer s = Symbolizer.open(elf, base.withCacheDirectory(cache))) {
      indexed = s.resolveAll(queries);
      for (long pc : pcs(original)) {
        indexedFrames.add(s.frames(pc, false));
      }
    }
    for (int i = 0; i < queries.size(); i++) {
      assertEquals(single.get(i), batch.get(i), "batch vs single: " + queries.get(i));
      assertEquals(single.get(i), indexed.get(i), "index vs single: " + queries.get(i));
    }
    assertEquals(singleFrames, indexedFrames, "frames at every pc");
  }

  /** Every address of every text symbol (read from the undamaged file). */
  private static List<Long> pcs(Path elf) throws Exception {
    ObjectLoader.Opened opened = ObjectLoader.open(elf, w -> { });
    try {
      SymbolTable symbols = SymbolTable.build(opened.elf());
      List<Long> out = new ArrayList<>();
      for (int i = 0; i < symbols.size(); i++) {
        for (long off = 0; off < Math.min(symbols.kallsymsSize(i), 4096); off++) {
          out.add(symbols.address(i) + off);
        }
      }
      return out;
    } finally {
      opened.resource().close();
    }
  }

  /** Every offset of every text symbol, exact and as a return address (read from the undamaged file). */
  static List<FrameQuery> everyFrame(Path elf) throws Exception {
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
      return out;
    } finally {
      opened.resource().close();
    }
  }
}
