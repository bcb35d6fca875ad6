package dev.ktriage.symbolizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.symbolizer.IndexState.Status;
import dev.ktriage.symbolizer.Symbolizer.IndexOutcome;
import dev.ktriage.symbolizer.SymbolizerOptions.IndexBuild;
import dev.ktriage.symbolizer.cache.IndexDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening with {@link IndexBuild#NEVER} answers from DWARF and never builds the index, but
 * remembers the vmlinux ({@link IndexState#seenBefore()} on the next open); {@link
 * Symbolizer#buildIndex} builds it once, under a lock other builders respect.
 */
class IndexPolicyTest {
  private static final Path ELF = KfixFixtures.root().resolve("x86_64-dwarf5/kfix.elf");
  private static final List<FrameQuery> QUERIES = List.of(
      new FrameQuery("alpha_work", 0x20, OptionalLong.empty(), Optional.empty(), OptionalLong.empty(), true),
      new FrameQuery("helper", 0x8, OptionalLong.of(0x40), Optional.empty(), OptionalLong.empty(), false));

  @TempDir
  Path tmp;

  private static List<Resolution> live() throws Exception {
    try (Symbolizer s = Symbolizer.open(ELF, SymbolizerOptions.defaults())) {
      return s.resolveAll(QUERIES);
    }
  }

  @Test
  void neverBuildsWhileOpeningButRemembers() throws Exception {
    Path cache = tmp.resolve("cache");
    SymbolizerOptions never = SymbolizerOptions.defaults().withCacheDirectory(cache).withIndexBuild(IndexBuild.NEVER);
    try (Symbolizer s = Symbolizer.open(ELF, never)) {
      assertEquals(Status.MISSING, s.indexState().status());
      assertFalse(s.indexState().seenBefore());
      assertEquals(live(), s.resolveAll(QUERIES));
      assertTrue(s.decodedShare() > 0);
      assertFalse(Files.exists(s.indexState().file().orElseThrow()), "no index built");
    }
    try (Symbolizer s = Symbolizer.open(ELF, never)) {
      assertEquals(Status.MISSING, s.indexState().status());
      assertTrue(s.indexState().seenBefore(), "a later run of the same vmlinux");
    }
    // The cache directory holds addresses: 0700.
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
    assertEquals(IndexOutcome.BUILT, Symbolizer.buildIndex(ELF, never, true).outcome());
    assertEquals(IndexOutcome.UP_TO_DATE, Symbolizer.buildIndex(ELF, never, true).outcome());
    try (Symbolizer s = Symbolizer.open(ELF, never)) {
      assertEquals(Status.USED, s.indexState().status());
      assertEquals(0, s.decodedShare());
      assertEquals(live(), s.resolveAll(QUERIES));
    }
  }

  @Test
  void aBuilderHoldingTheLockIsLeftToIt() throws Exception {
    Path cache = tmp.resolve("cache");
    SymbolizerOptions opts = SymbolizerOptions.defaults().withCacheDirectory(cache);
    String id;
    try (Symbolizer s = Symbolizer.open(ELF, SymbolizerOptions.defaults())) {
      id = s.buildId().orElseThrow();
    }
    IndexDirectory files = new IndexDirectory(cache, id);
    // Another process's lock, taken here through a second channel (the lock is per file, per JVM
    // per channel: a second acquire in this JVM overlaps and is refused the same way).
    try (AutoCloseable held = files.acquire(true).orElseThrow()) {
      assertEquals(IndexOutcome.BUSY, Symbolizer.buildIndex(ELF, opts, false).outcome());
      assertFalse(Files.exists(files.index()));
    }
    assertEquals(IndexOutcome.BUILT, Symbolizer.buildIndex(ELF, opts, false).outcome());
  }

  @Test
  void whenMissingStillBuildsWhileOpening() throws Exception {
    SymbolizerOptions opts = SymbolizerOptions.defaults().withCacheDirectory(tmp.resolve("cache"));
    try (Symbolizer s = Symbolizer.open(ELF, opts)) {
      assertEquals(Status.BUILT, s.indexState().status());
    }
    try (Symbolizer s = Symbolizer.open(ELF, opts)) {
      assertEquals(Status.USED, s.indexState().status());
    }
    try (Symbolizer s = Symbolizer.open(ELF, SymbolizerOptions.defaults())) {
      assertEquals(Status.NONE, s.indexState().status());
    }
  }

  @Test
  void noBuildIdOrNoDwarfIsNotIndexable() throws Exception {
    Path nodwarf = KfixFixtures.root().resolve("../kfix-nodwarf/kfix.elf");
    SymbolizerOptions opts = SymbolizerOptions.defaults().withCacheDirectory(tmp.resolve("cache"));
    assertEquals(IndexOutcome.NOT_INDEXABLE, Symbolizer.buildIndex(nodwarf, opts, true).outcome());
  }
}
