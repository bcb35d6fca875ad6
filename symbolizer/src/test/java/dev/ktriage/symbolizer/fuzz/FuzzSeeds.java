package dev.ktriage.symbolizer.fuzz;

import dev.ktriage.symbolizer.Symbolizer;
import dev.ktriage.symbolizer.SymbolizerOptions;
import dev.ktriage.symbolizer.dwarf.DwarfSections;
import dev.ktriage.symbolizer.elf.ByteSource;
import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.elf.ElfSection;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Writes the fuzz tests' seed inputs (the kfix fixtures' real sections, framed as each test reads
 * its input) into their inputs directories under {@code src/test/resources}, where Jazzer replays
 * them as regression tests and starts fuzzing from them. Run by {@code bench/fuzz/run.sh --seeds};
 * the seeds are committed.
 *
 * <p>Usage: {@code FuzzSeeds RESOURCES_DIR}.
 */
public final class FuzzSeeds {
  private FuzzSeeds() {}

  public static void main(String[] args) throws Exception {
    Path res = Path.of(args[0]);
    Path fuzz = res.resolve("dev/ktriage/symbolizer/fuzz");
    for (int v = 0; v < FuzzFixtures.VARIANTS.size(); v++) {
      String variant = FuzzFixtures.VARIANTS.get(v);
      DwarfSections s = FuzzFixtures.fixture(variant).sections();
      byte[] info = FuzzFixtures.bytes(s.info());
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      o.write(v);
      o.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(info.length).array());
      o.write(info);
      o.write(FuzzFixtures.bytes(s.abbrev()));
      write(fuzz.resolve("DebugInfoFuzzTestInputs/infoAndAbbrev/seed-" + variant), o.toByteArray());
      write(fuzz.resolve("LineProgramFuzzTestInputs/lineProgram/seed-" + variant),
          prefixed(v, FuzzFixtures.bytes(s.line())));
      byte[] ranges = FuzzFixtures.bytes(variant.contains("dwarf4") ? s.ranges() : s.rnglists());
      write(fuzz.resolve("RangeListsFuzzTestInputs/rangeLists/seed-" + variant), prefixed(v, ranges));
      write(fuzz.resolve("RangeListsFuzzTestInputs/rangeLists/seed-" + variant + "-no-aranges"),
          prefixed(v | 0x80, ranges));
      if (variant.contains("clang")) {
        byte[] so = FuzzFixtures.bytes(s.strOffsets());
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(so.length).array());
        p.write(so);
        p.write(FuzzFixtures.bytes(s.addr()));
        write(fuzz.resolve("StrOffsetsFuzzTestInputs/strOffsetsAndAddr/seed-" + variant), p.toByteArray());
      }
    }
    Path kfix = FuzzFixtures.root();
    for (String v : new String[] {"x86_64-dwarf5", "i386-dwarf5", "module-x86_64", "x86_64-clang-dwarf5"}) {
      write(fuzz.resolve("ElfReaderFuzzTestInputs/objectFile/seed-" + v), Files.readAllBytes(kfix.resolve(v + "/kfix.elf")));
    }
    // Compressed sections as stored in the files, with the test's mode byte.
    for (String v : new String[] {"x86_64-dwarf5-zlib", "x86_64-dwarf5-zstd", "x86_64-dwarf4-zdebug"}) {
      byte[] file = Files.readAllBytes(kfix.resolve(v + "/kfix.elf"));
      ElfFile elf = ElfFile.parse(ByteSource.of(ByteBuffer.wrap(file)), w -> { });
      for (ElfSection sec : elf.sections()) {
        if (sec.name().equals(".debug_line") || sec.name().equals(".zdebug_line")) {
          byte[] raw = new byte[(int) sec.size()];
          System.arraycopy(file, (int) sec.offset(), raw, 0, raw.length);
          write(res.resolve("dev/ktriage/symbolizer/elf/DecompressorFuzzTestInputs/compressedSection/seed-" + v),
              prefixed(v.contains("zdebug") ? 3 : 0, raw));
        }
      }
    }
    // Index files of two fixtures.
    for (String v : new String[] {"x86_64-dwarf5", "x86_64-clang-dwarf5"}) {
      Path cache = Files.createTempDirectory("ktriage-seeds");
      Symbolizer.buildIndex(kfix.resolve(v + "/kfix.elf"), SymbolizerOptions.defaults().withCacheDirectory(cache), true);
      try (Stream<Path> files = Files.list(cache)) {
        Path idx = files.filter(p -> p.toString().endsWith(".ktidx")).findFirst().orElseThrow();
        write(res.resolve("dev/ktriage/symbolizer/cache/IndexReaderFuzzTestInputs/indexFile/seed-" + v),
            Files.readAllBytes(idx));
      }
    }
  }

  private static byte[] prefixed(int first, byte[] rest) {
    byte[] out = new byte[rest.length + 1];
    out[0] = (byte) first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  private static void write(Path p, byte[] bytes) throws Exception {
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }
}
