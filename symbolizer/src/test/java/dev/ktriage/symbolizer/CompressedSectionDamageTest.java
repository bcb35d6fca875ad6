package dev.ktriage.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.elf.ElfFormatException;
import dev.ktriage.symbolizer.elf.ElfSection;
import dev.ktriage.symbolizer.load.ObjectLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged compressed debug sections (SHF_COMPRESSED zlib and zstd, legacy {@code .zdebug_*}) are an
 * {@link ElfFormatException} of kind BAD_COMPRESSION with a one-line message, never an unchecked
 * exception (zstd-jni throws {@code ZstdException}) nor an allocation of what a damaged header claims.
 */
class CompressedSectionDamageTest {
  @TempDir
  Path tmp;

  private static final List<FrameQuery> QUERIES = List.of(
      new FrameQuery("alpha_work", 0x20, OptionalLong.empty(), Optional.empty(), OptionalLong.empty(), true),
      new FrameQuery("helper", 0x8, OptionalLong.empty(), Optional.empty(), OptionalLong.empty(), false));

  private static ElfSection section(Path elf, String name) throws Exception {
    ObjectLoader.Opened o = ObjectLoader.open(elf, w -> { });
    try {
      ElfFile f = o.elf();
      return f.section(name).or(() -> f.section(".zdebug" + name.substring(".debug".length()))).orElseThrow();
    } finally {
      o.resource().close();
    }
  }

  private ElfFormatException openDamaged(byte[] bytes) throws Exception {
    Path f = tmp.resolve("vmlinux");
    Files.write(f, bytes);
    return assertThrows(ElfFormatException.class, () -> {
      try (Symbolizer s = Symbolizer.open(f, SymbolizerOptions.defaults().withThreads(1))) {
        s.resolveAll(QUERIES);
      }
    });
  }

  @Test
  void damagedZstdHeaderAndPayload() throws Exception {
    Path elf = KfixFixtures.root().resolve("x86_64-dwarf5-zstd/kfix.elf");
    byte[] all = Files.readAllBytes(elf);
    int at = (int) section(elf, ".debug_info").offset();
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    long chSize = b.getLong(at + 8);
    // Elf64_Chdr: ch_type, ch_reserved, ch_size, ch_addralign; then the zstd frame (magic first).
    byte[][] cases = {
        withLong(all, at + 8, chSize - 7), // ch_size too small
        withLong(all, at + 8, chSize + 100), // ch_size too large
        withLong(all, at + 8, 0x7ff0_0000L), // a ch_size near 2 GiB: refused, not allocated
        flip(all, at + 24, 0xff), // zstd magic
        flip(all, at + 28, 0x40), // frame header descriptor
        flipRange(all, at + 32, at + 48), // payload
    };
    for (byte[] c : cases) {
      ElfFormatException e = openDamaged(c);
      assertEquals(ElfFormatException.Kind.BAD_COMPRESSION, e.kind(), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
  }

  @Test
  void damagedZlibHeaders() throws Exception {
    Path elf = KfixFixtures.root().resolve("x86_64-dwarf5-zlib/kfix.elf");
    byte[] all = Files.readAllBytes(elf);
    int at = (int) section(elf, ".debug_info").offset();
    ElfFormatException e = openDamaged(withLong(all, at + 8, 0x7ff0_0000L));
    assertEquals(ElfFormatException.Kind.BAD_COMPRESSION, e.kind());
    assertTrue(e.getMessage().contains("impossible"), e.getMessage());
    e = openDamaged(flipRange(all, at + 26, at + 40));
    assertEquals(ElfFormatException.Kind.BAD_COMPRESSION, e.kind());
  }

  @Test
  void randomDamageIsCheckedOrHarmless() throws Exception {
    for (String v : new String[] {"x86_64-dwarf5-zstd", "x86_64-dwarf5-zlib", "x86_64-dwarf4-zdebug"}) {
      Path elf = KfixFixtures.root().resolve(v + "/kfix.elf");
      byte[] all = Files.readAllBytes(elf);
      ElfSection info = section(elf, ".debug_info");
      Random rnd = new Random(v.hashCode());
      Path f = tmp.resolve("vmlinux");
      for (int round = 0; round < 60; round++) {
        byte[] c = all.clone();
        int pos = (int) (info.offset() + rnd.nextInt((int) Math.min(info.size(), 64)));
        c[pos] ^= (byte) (1 + rnd.nextInt(255));
        Files.write(f, c);
        try (Symbolizer s = Symbolizer.open(f, SymbolizerOptions.defaults().withThreads(1))) {
          s.resolveAll(QUERIES);
        } catch (ElfFormatException e) {
          assertFalse(e.getMessage().isEmpty());
        }
      }
    }
  }

  private static byte[] withLong(byte[] all, int at, long v) {
    byte[] c = all.clone();
    ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    return c;
  }

  private static byte[] flip(byte[] all, int at, int x) {
    byte[] c = all.clone();
    c[at] ^= (byte) x;
    return c;
  }

  private static byte[] flipRange(byte[] all, int from, int to) {
    byte[] c = all.clone();
    for (int i = from; i < to; i++) {
      c[i] ^= (byte) 0xff;
    }
    return c;
  }
}
