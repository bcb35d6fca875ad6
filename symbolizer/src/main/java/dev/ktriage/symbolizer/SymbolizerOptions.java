package dev.ktriage.symbolizer;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Symbolizer} finds modules, caches its index and renders paths.
 *
 * @param modulesDirectory where {@code .ko}, {@code .ko.xz}, {@code .ko.zst} and {@code .ko.debug}
 *     files are searched (recursively) for {@code [module]} frames; empty: module frames are
 *     {@link Resolution.Status#UNKNOWN_MODULE}
 * @param cacheDirectory where the persistent index of a vmlinux is kept, by build-id; empty: no
 *     index is read or written, and DWARF is decoded lazily per lookup
 * @param rawPaths true for paths exactly as addr2line prints them, false (default) for paths
 *     relative to the build directory
 * @param stripPrefix a further prefix removed from every path that starts with it
 * @param diagnostics where non-fatal problems go
 * @param threads how many threads a batch may use to decode DWARF (and to build the index)
 * @param indexBuild whether opening builds a missing index (with a cache directory)
 */
public record SymbolizerOptions(Optional<Path> modulesDirectory, Optional<Path> cacheDirectory, boolean rawPaths,
    Optional<String> stripPrefix, Diagnostics diagnostics, int threads, IndexBuild indexBuild) {

  /** Whether {@link Symbolizer#open} builds the index when the cache directory has no valid one. */
  public enum IndexBuild {
    /** Build it while opening (all units decoded first), then answer from it. */
    WHEN_MISSING,
    /**
     * Never while opening: answer from DWARF on demand (a small input is answered sooner than an
     * index is built), and leave building to {@link Symbolizer#buildIndex} when the caller decides
     * it pays ({@link Symbolizer#indexState()} says whether this vmlinux was seen before).
     */
    NEVER
  }

  public SymbolizerOptions {
    Objects.requireNonNull(modulesDirectory);
    Objects.requireNonNull(cacheDirectory);
    Objects.requireNonNull(stripPrefix);
    Objects.requireNonNull(diagnostics);
    Objects.requireNonNull(indexBuild);
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
  }

  /**
   * No modules, no cache, build-relative paths, diagnostics dropped, one thread per core; with a
   * cache directory, a missing index is built while opening.
   */
  public static SymbolizerOptions defaults() {
    return new SymbolizerOptions(Optional.empty(), Optional.empty(), false, Optional.empty(), Diagnostics.none(),
        Runtime.getRuntime().availableProcessors(), IndexBuild.WHEN_MISSING);
  }

  /**
   * The conventional cache location: {@code $XDG_CACHE_HOME/ktriage}, else {@code ~/.cache/ktriage}.
   */
  public static Path defaultCacheDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "ktriage");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "ktriage");
  }

  public SymbolizerOptions withModulesDirectory(Path dir) {
    return new SymbolizerOptions(Optional.of(dir), cacheDirectory, rawPaths, stripPrefix, diagnostics, threads,
        indexBuild);
  }

  public SymbolizerOptions withCacheDirectory(Path dir) {
    return new SymbolizerOptions(modulesDirectory, Optional.of(dir), rawPaths, stripPrefix, diagnostics, threads,
        indexBuild);
  }

  public SymbolizerOptions withoutCache() {
    return new SymbolizerOptions(modulesDirectory, Optional.empty(), rawPaths, stripPrefix, diagnostics, threads,
        indexBuild);
  }

  public SymbolizerOptions withRawPaths(boolean raw) {
    return new SymbolizerOptions(modulesDirectory, cacheDirectory, raw, stripPrefix, diagnostics, threads,
        indexBuild);
  }

  public SymbolizerOptions withStripPrefix(String prefix) {
    return new SymbolizerOptions(modulesDirectory, cacheDirectory, rawPaths, Optional.of(prefix), diagnostics,
        threads, indexBuild);
  }

  public SymbolizerOptions withDiagnostics(Diagnostics sink) {
    return new SymbolizerOptions(modulesDirectory, cacheDirectory, rawPaths, stripPrefix, sink, threads,
        indexBuild);
  }

  public SymbolizerOptions withIndexBuild(IndexBuild b) {
    return new SymbolizerOptions(modulesDirectory, cacheDirectory, rawPaths, stripPrefix, diagnostics, threads, b);
  }

  public SymbolizerOptions withThreads(int n) {
    return new SymbolizerOptions(modulesDirectory, cacheDirectory, rawPaths, stripPrefix, diagnostics, n, indexBuild);
  }
}
