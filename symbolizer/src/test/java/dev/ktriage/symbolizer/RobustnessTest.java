package dev.ktriage.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.symbolizer.elf.ElfFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged inputs give checked exceptions or partial results, never unchecked exceptions. */
class RobustnessTest {
  private static final Path ELF = KfixFixtures.root().resolve("x86_64-dwarf5/kfix.elf");

  private static final List<FrameQuery> QUERIES = List.of(
      new FrameQuery("alpha_work", 0x20, OptionalLong.empty(), Optional.empty(), OptionalLong.empty(), true),
      new FrameQuery("helper", 0x8, OptionalLong.of(0x40), Optional.empty(), OptionalLong.empty(), false),
      new FrameQuery("beta_loop", 0x10, OptionalLong.empty(), Optional.empty(), OptionalLong.empty(), true));

  @Test
  void notElf(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("vmlinux");
    Files.writeString(f, "this is not an elf file at all, just text");
    ElfFormatException e = assertThrows(ElfFormatException.class, () -> Symbolizer.open(f, SymbolizerOptions.defaults()));
    assertEquals(ElfFormatException.Kind.NOT_ELF, e.kind());
    Files.write(f, new byte[0]);
    assertThrows(ElfFormatException.class, () -> Symbolizer.open(f, SymbolizerOptions.defaults()));
  }

  @Test
  void truncatedAtEveryLength(@TempDir Path tmp) throws Exception {
    byte[] all = Files.readAllBytes(ELF);
    Path f = tmp.resolve("vmlinux");
    int opened = 0;
    for (int len = 0; len < all.length; len += (len < 256 ? 1 : 97)) {
      Files.write(f, java.util.Arrays.copyOf(all, len));
      try (Symbolizer s = Symbolizer.open(f, SymbolizerOptions.defaults())) {
        opened++;
        s.resolveAll(QUERIES);
      } catch (ElfFormatException e) {
        assertFalse(e.getMessage().isEmpty());
      }
    }
    // Section headers sit at the end of the file: no strict prefix of it is a usable ELF file.
    assertEquals(0, opened);
  }

  @Test
  void randomCorruptionOfDebugSectionsIsGraceful(@TempDir Path tmp) throws Exception {
    byte[] all = Files.readAllBytes(ELF);
    // Debug sections of this fixture lie between the end of the code and the section headers.
    int from = 0x1300;
    int to = all.length - 1600;
    Random rnd = new Random(42);
    Path f = tmp.resolve("vmlinux");
    Diagnostics.Collector diags = new Diagnostics.Collector();
    int degraded = 0;
    for (int round = 0; round < 300; round++) {
      byte[] copy = all.clone();
      for (int k = 0; k < 1 + rnd.nextInt(8); k++) {
        copy[from + rnd.nextInt(to - from)] = (byte) rnd.nextInt(256);
      }
      Files.write(f, copy);
      try (Symbolizer s = Symbolizer.open(f, SymbolizerOptions.defaults().withDiagnostics(diags).withThreads(1))) {
        for (Resolution r : s.resolveAll(QUERIES)) {
          assertTrue(r.status() != null);
          degraded += r.status() == Resolution.Status.DEBUG_INFO_ERROR ? 1 : 0;
        }
      } catch (ElfFormatException e) {
        assertFalse(e.getMessage().isEmpty());
      }
    }
    assertTrue(degraded > 0, "some corruption must be detected");
    assertTrue(diags.items().stream().anyMatch(d -> d.kind() == Diagnostics.Kind.CORRUPT_DEBUG_INFO));
  }

  @Test
  void corruptOrStaleIndexIsRebuilt(@TempDir Path tmp) throws Exception {
    Path cache = tmp.resolve("cache");
    SymbolizerOptions base = SymbolizerOptions.defaults().withRawPaths(true);
    List<Resolution> live;
    try (Symbolizer s = Symbolizer.open(ELF, base)) {
      live = s.resolveAll(QUERIES);
    }
    Diagnostics.Collector diags = new Diagnostics.Collector();
    SymbolizerOptions opts = base.withCacheDirectory(cache).withDiagnostics(diags);
    try (Symbolizer s = Symbolizer.open(ELF, opts)) {
      assertEquals(live, s.resolveAll(QUERIES));
    }
    Path index;
    try (Stream<Path> files = Files.list(cache)) {
      index = files.filter(p -> p.toString().endsWith(".ktidx")).findFirst().orElseThrow();
    }
    assertTrue(diags.items().isEmpty(), diags.items().toString());
    byte[] good = Files.readAllBytes(index);
    Random rnd = new Random(7);
    for (int round = 0; round < 40; round++) {
      byte[] bad = good.clone();
      if (round % 4 == 0) {
        bad = java.util.Arrays.copyOf(bad, rnd.nextInt(bad.length));
      } else {
        int at = rnd.nextInt(bad.length);
        bad[at] = (byte) (bad[at] ^ (1 + rnd.nextInt(255)));
      }
      Files.write(index, bad);
      int before = diags.items().size();
      try (Symbolizer s = Symbolizer.open(ELF, opts)) {
        assertEquals(live, s.resolveAll(QUERIES), "round " + round);
      }
      assertTrue(diags.items().size() > before, "a damaged index is reported");
      assertEquals(Diagnostics.Kind.CACHE, diags.items().get(diags.items().size() - 1).kind());
      assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(index)), "rebuilt identically");
    }
  }

  /** mkfifo, or false where it cannot be made (not Linux, no mkfifo). */
  private static boolean mkfifo(Path p) {
    try {
      return new ProcessBuilder("mkfifo", p.toString()).start().waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void nonRegularFileAtTheIndexPathNeverBlocks(@TempDir Path tmp) throws Exception {
    Path cache = tmp.resolve("cache");
    Files.createDirectories(cache);
    String id;
    List<Resolution> live;
    try (Symbolizer s = Symbolizer.open(ELF, SymbolizerOptions.defaults())) {
      id = s.buildId().orElseThrow();
      live = s.resolveAll(QUERIES);
    }
    Path index = cache.resolve(id + ".ktidx");
    org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo(index), "mkfifo not available");
    for (int round = 0; round < 2; round++) {
      Diagnostics.Collector diags = new Diagnostics.Collector();
      SymbolizerOptions opts = SymbolizerOptions.defaults().withCacheDirectory(cache).withDiagnostics(diags);
      List<Resolution> got = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
          java.time.Duration.ofSeconds(20), () -> {
            try (Symbolizer s = Symbolizer.open(ELF, opts)) {
              return s.resolveAll(QUERIES);
            }
          });
      assertEquals(live, got);
      assertTrue(diags.items().stream().anyMatch(d -> d.kind() == Diagnostics.Kind.CACHE
          && d.message().contains("not a regular file")), diags.items().toString());
      // Someone else's FIFO is left alone, not replaced by an index.
      assertTrue(Files.exists(index) && !Files.isRegularFile(index));
    }
    // A FIFO given as the object itself is refused at once, not opened.
    Path fifo = tmp.resolve("vmlinux-fifo");
    assertTrue(mkfifo(fifo));
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
        () -> assertThrows(java.io.IOException.class, () -> Symbolizer.open(fifo, SymbolizerOptions.defaults())));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
  }

  @Test
  void directoryAtTheIndexPathIsLeftAlone(@TempDir Path tmp) throws Exception {
    Path cache = tmp.resolve("cache");
    String id;
    try (Symbolizer s = Symbolizer.open(ELF, SymbolizerOptions.defaults())) {
      id = s.buildId().orElseThrow();
    }
    Path index = cache.resolve(id + ".ktidx");
    Files.createDirectories(index.resolve("inside"));
    Diagnostics.Collector diags = new Diagnostics.Collector();
    try (Symbolizer s = Symbolizer.open(ELF, SymbolizerOptions.defaults().withCacheDirectory(cache)
        .withDiagnostics(diags))) {
      assertEquals(3, s.resolveAll(QUERIES).size());
    }
    assertTrue(Files.isDirectory(index.resolve("inside")));
    assertTrue(diags.items().stream().anyMatch(d -> d.message().contains("not a regular file")));
  }
}
