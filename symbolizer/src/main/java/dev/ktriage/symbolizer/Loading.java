package dev.ktriage.symbolizer;

import dev.ktriage.symbolizer.cache.CorruptIndexException;
import dev.ktriage.symbolizer.cache.IndexDirectory;
import dev.ktriage.symbolizer.cache.IndexWriter;
import dev.ktriage.symbolizer.cache.IndexedDebugInfo;
import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.elf.ElfFormatException;
import dev.ktriage.symbolizer.symbolize.LiveDebugInfo;
import dev.ktriage.symbolizer.symbolize.ObjectSymbols;
import dev.ktriage.symbolizer.symbolize.PathStyle;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds the vmlinux object: from the persistent index when a valid one exists, else by decoding
 * DWARF on demand; with {@link SymbolizerOptions.IndexBuild#WHEN_MISSING}, a missing, stale or corrupt
 * index is built first (all units, on {@link SymbolizerOptions#threads()} threads) and then used.
 */
final class Loading {
  private Loading() {
    // no instance
  }

  /** The object and what the index did. */
  record Loaded(ObjectSymbols object, IndexState index) {}

  /** What {@link #build} did. */
  enum Built {
    /** The index was built. */
    BUILT,
    /** A valid index was already there. */
    UP_TO_DATE,
    /** Another process is building it (and {@code wait} was false). */
    BUSY
  }

  static Loaded vmlinux(String label, ElfFile elf, PathStyle paths, SymbolizerOptions options,
      Consumer<String> problems) throws IOException, ElfFormatException {
    Optional<Path> dir = options.cacheDirectory();
    Optional<String> buildId = elf.buildId();
    if (dir.isEmpty()) {
      return new Loaded(ObjectSymbols.live(label, elf, paths, problems), IndexState.none());
    }
    if (buildId.isEmpty()) {
      problems.accept("cache: " + label + " has no build-id; not cached");
      return new Loaded(ObjectSymbols.live(label, elf, paths, problems), IndexState.none());
    }
    IndexDirectory files = new IndexDirectory(dir.get(), buildId.get());
    Path file = files.index();
    if (files.indexPathUnusable()) {
      // A FIFO would block the open (forever, without a writer); a directory or device cannot be
      // an index. Someone else's file: neither read nor replaced.
      problems.accept("cache: " + file + " is not a regular file; not using the index");
      return new Loaded(ObjectSymbols.live(label, elf, paths, problems), IndexState.none());
    }
    boolean build = options.indexBuild() == SymbolizerOptions.IndexBuild.WHEN_MISSING;
    Optional<ObjectSymbols> indexed = tryIndex(label, elf, paths, file, buildId.get(), problems,
        build ? "; rebuilding" : "; answering from DWARF");
    if (indexed.isPresent()) {
      return new Loaded(indexed.get(), new IndexState(IndexState.Status.USED, false, Optional.of(file)));
    }
    ObjectSymbols live = ObjectSymbols.live(label, elf, paths, problems);
    if (!build) {
      boolean seen = false;
      try {
        seen = files.markSeen();
      } catch (IOException e) {
        problems.accept("cache: cannot write " + dir.get() + " (" + e.getMessage() + ")");
      }
      return new Loaded(live, new IndexState(IndexState.Status.MISSING, seen, Optional.of(file)));
    }
    try {
      build(files, buildId.get(), elf.size(), live, options.threads(), true);
      Optional<ObjectSymbols> fresh = tryIndex(label, elf, paths, file, buildId.get(), problems, "");
      if (fresh.isPresent()) {
        return new Loaded(fresh.get(), new IndexState(IndexState.Status.BUILT, false, Optional.of(file)));
      }
    } catch (IOException e) {
      problems.accept("cache: cannot write " + file + " (" + e.getMessage() + "); continuing without it");
    }
    return new Loaded(live, new IndexState(IndexState.Status.MISSING, false, Optional.of(file)));
  }

  /** The object served from a valid index at {@code file}, or empty (a damaged one is reported). */
  private static Optional<ObjectSymbols> tryIndex(String label, ElfFile elf, PathStyle paths, Path file,
      String buildId, Consumer<String> problems, String then) {
    try {
      IndexedDebugInfo idx = IndexedDebugInfo.open(file, buildId, elf.size(), paths);
      return Optional.of(new ObjectSymbols(label, elf, idx.symbols(), idx));
    } catch (NoSuchFileException e) {
      return Optional.empty(); // first run for this build
    } catch (CorruptIndexException e) {
      problems.accept("cache: " + e.getMessage().concat(then));
    } catch (IOException e) {
      problems.accept("cache: cannot read " + file + " (" + e.getMessage() + ")".concat(then));
    }
    return Optional.empty();
  }

  /**
   * Builds the index of {@code live} under the builders' lock, unless a valid one appears meanwhile
   * (another process built it).
   *
   * @param wait whether to wait for another builder (else {@link Built#BUSY})
   */
  static Built build(IndexDirectory files, String buildId, long objectSize, ObjectSymbols live, int threads,
      boolean wait) throws IOException {
    Optional<AutoCloseable> lock = files.acquire(wait);
    if (lock.isEmpty()) {
      return Built.BUSY;
    }
    try (AutoCloseable held = lock.get()) {
      try {
        IndexedDebugInfo.open(files.index(), buildId, objectSize, PathStyle.RAW);
        return Built.UP_TO_DATE;
      } catch (IOException e) {
        // missing, stale or damaged: build
      }
      IndexWriter.write(files.index(), buildId, objectSize, live.symbols(), (LiveDebugInfo) live.debugInfo(),
          threads);
      files.forgetSeen();
      return Built.BUILT;
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
