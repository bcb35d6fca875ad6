package dev.ktriage.symbolizer;

import dev.ktriage.symbolizer.cache.CorruptIndexException;
import dev.ktriage.symbolizer.cache.IndexWriter;
import dev.ktriage.symbolizer.cache.IndexedDebugInfo;
import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.elf.ElfFormatException;
import dev.ktriage.symbolizer.symbolize.LiveDebugInfo;
import dev.ktriage.symbolizer.symbolize.ObjectSymbols;
import dev.ktriage.symbolizer.symbolize.PathStyle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds the vmlinux object: from the persistent index when a valid one exists, else by decoding
 * DWARF; with a cache directory, a missing, stale or corrupt index is rebuilt (all units, on
 * {@link SymbolizerOptions#threads()} threads) and then used.
 */
final class Loading {
  private Loading() {
    // no instance
  }

  /** The index file for a build-id. */
  static Path indexFile(Path cacheDir, String buildId) {
    // concat, not +: the first indy string concatenation of a run spins classes (~10 ms).
    return cacheDir.resolve(buildId.concat(".ktidx"));
  }

  static ObjectSymbols vmlinux(String label, ElfFile elf, PathStyle paths, SymbolizerOptions options,
      Consumer<String> problems) throws IOException, ElfFormatException {
    Optional<Path> dir = options.cacheDirectory();
    Optional<String> buildId = elf.buildId();
    if (dir.isEmpty()) {
      return ObjectSymbols.live(label, elf, paths, problems);
    }
    if (buildId.isEmpty()) {
      problems.accept("cache: " + label + " has no build-id; not cached");
      return ObjectSymbols.live(label, elf, paths, problems);
    }
    Path file = indexFile(dir.get(), buildId.get());
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // A FIFO would block the open (forever, without a writer); a directory or device cannot be
      // an index. Someone else's file: neither read nor replaced.
      problems.accept("cache: " + file + " is not a regular file; not using the index");
      return ObjectSymbols.live(label, elf, paths, problems);
    }
    try {
      IndexedDebugInfo idx = IndexedDebugInfo.open(file, buildId.get(), elf.size(), paths);
      return new ObjectSymbols(label, elf, idx.symbols(), idx);
    } catch (NoSuchFileException e) {
      // first run for this build: build below
    } catch (CorruptIndexException e) {
      problems.accept("cache: rebuilding " + e.getMessage());
    } catch (IOException e) {
      problems.accept("cache: cannot read " + file + " (" + e.getMessage() + "); rebuilding");
    }
    ObjectSymbols live = ObjectSymbols.live(label, elf, paths, problems);
    try {
      IndexWriter.write(file, buildId.get(), elf.size(), live.symbols(), (LiveDebugInfo) live.debugInfo(),
          options.threads());
      IndexedDebugInfo idx = IndexedDebugInfo.open(file, buildId.get(), elf.size(), paths);
      return new ObjectSymbols(label, elf, idx.symbols(), idx);
    } catch (IOException e) {
      problems.accept("cache: cannot write " + file + " (" + e.getMessage() + "); continuing without it");
      return live;
    }
  }
}
