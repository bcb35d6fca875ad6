package dev.ktriage.symbolizer.fuzz;

import dev.ktriage.symbolizer.dwarf.DwarfFormatException;
import dev.ktriage.symbolizer.dwarf.DwarfSections;
import dev.ktriage.symbolizer.elf.ByteSource;
import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.symbolize.LiveDebugInfo;
import dev.ktriage.symbolizer.symbolize.ObjectSymbols;
import dev.ktriage.symbolizer.symbolize.PathStyle;
import dev.ktriage.symbolizer.symbolize.SymbolTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the fuzz tests share: the kfix fixtures' DWARF sections, with one section's bytes replaced by
 * the fuzzer's, and a run of every decoding step over them. A decoding step may reject its input
 * with a {@link DwarfFormatException}; anything else that escapes (an unchecked exception, an error,
 * a "decoder failure" the lazy decoder turned a runtime exception into) is a finding.
 */
final class FuzzFixtures {
  private FuzzFixtures() {}

  /** Fixtures read once per JVM (the fuzzer runs millions of inputs in one). */
  private static final Map<String, Fixture> FIXTURES = new ConcurrentHashMap<>();

  /** A fixture's bytes, DWARF sections and the addresses of its code. */
  record Fixture(byte[] file, DwarfSections sections, long[] pcs) {}

  static Path root() {
    String root = System.getProperty("ktriage.root");
    return (root == null ? Path.of("..") : Path.of(root)).resolve("testdata/elf/kfix");
  }

  /** x86_64-dwarf5 (gcc), x86_64-dwarf4 (gcc, .debug_ranges), x86_64-clang-dwarf5 (strx, addrx, rnglistx). */
  static Fixture fixture(String variant) {
    return FIXTURES.computeIfAbsent(variant, v -> {
      try {
        byte[] file = Files.readAllBytes(root().resolve(v).resolve("kfix.elf"));
        ElfFile elf = ElfFile.parse(ByteSource.of(ByteBuffer.wrap(file)), w -> { });
        SymbolTable symbols = SymbolTable.build(elf);
        long[] pcs = new long[0];
        int n = 0;
        for (int i = 0; i < symbols.size(); i++) {
          for (long off = 0; off < symbols.kallsymsSize(i); off += 11) {
            if (n == pcs.length) {
              pcs = java.util.Arrays.copyOf(pcs, Math.max(64, n * 2));
            }
            pcs[n++] = symbols.address(i) + off;
          }
        }
        pcs = java.util.Arrays.copyOf(pcs, n);
        java.util.Arrays.sort(pcs);
        return new Fixture(file, ObjectSymbols.dwarfSections(elf), pcs);
      } catch (Exception e) {
        throw new IllegalStateException("fixture " + v, e);
      }
    });
  }

  /** {@code s} with section {@code name} (".debug_info", ...) replaced by {@code bytes}. */
  static DwarfSections replace(DwarfSections s, String name, byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(s.order());
    return new DwarfSections(s.order(),
        name.equals(".debug_info") ? b : s.info(),
        name.equals(".debug_abbrev") ? b : s.abbrev(),
        name.equals(".debug_str") ? b : s.str(),
        name.equals(".debug_line_str") ? b : s.lineStr(),
        name.equals(".debug_str_offsets") ? b : s.strOffsets(),
        name.equals(".debug_addr") ? b : s.addr(),
        name.equals(".debug_ranges") ? b : s.ranges(),
        name.equals(".debug_rnglists") ? b : s.rnglists(),
        name.equals(".debug_aranges") ? b : s.aranges(),
        name.equals(".debug_line") ? b : s.line());
  }

  /** The bytes of one section of a fixture. */
  static byte[] bytes(ByteBuffer section) {
    byte[] out = new byte[section.limit()];
    section.duplicate().get(0, out);
    return out;
  }

  /**
   * Every decoding step over {@code s}: the unit index, one lookup per address, then one batch of
   * all of them (each unit decoded from its window), then the functions' trees through the batch's
   * kept state.
   */
  static void exercise(DwarfSections s, long[] pcs) {
    LiveDebugInfo d = new LiveDebugInfo(s, PathStyle.RAW, problem -> { });
    for (long pc : pcs) {
      try {
        d.frames(pc);
      } catch (DwarfFormatException e) {
        checked(e);
      }
    }
    LiveDebugInfo batch = new LiveDebugInfo(s, PathStyle.TREE, problem -> { });
    for (DwarfFormatException e : batch.framesAll(pcs, 1).errors()) {
      if (e != null) {
        checked(e);
      }
    }
    for (long pc : pcs) {
      try {
        batch.frames(pc);
      } catch (DwarfFormatException e) {
        checked(e);
      }
    }
  }

  /** A rejection is fine; a runtime exception the decoder's memo caught is a finding. */
  static void checked(DwarfFormatException e) {
    if (e.detail().startsWith("decoder failure")) {
      throw new AssertionError("unchecked exception inside a decoder: " + e.getMessage(), e.getCause());
    }
  }

  /** Little-endian int at {@code at} of {@code data}, 0 past its end (for framing fuzz inputs). */
  static int le32(byte[] data, int at) {
    if (at + 4 > data.length) {
      return 0;
    }
    return ByteBuffer.wrap(data, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  static final List<String> VARIANTS = List.of("x86_64-dwarf5", "x86_64-dwarf4", "x86_64-clang-dwarf5");
}
