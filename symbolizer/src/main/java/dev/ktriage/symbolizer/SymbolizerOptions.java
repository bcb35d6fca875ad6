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
 * @param maxLocated how many same-name, same-size symbols a {@code func+off/size} frame may name and
 *     still be located in each of them; beyond, and unless a raw address with a known KASLR slide
 *     picks one, the frame is {@link Resolution.Status#AMBIGUOUS} with its candidates' symbols only
 *     (see {@link #DEFAULT_MAX_LOCATED})
 */
public record SymbolizerOptions(Optional<Path> modulesDirectory, Optional<Path> cacheDirectory, boolean rawPaths,
    Optional<String> stripPrefix, Diagnostics diagnostics, int threads, IndexBuild indexBuild, int maxLocated) {

  /**
   * The default {@link #maxLocated()}. Same-name, same-size copies of a static function are usually a
   * handful (2-8 on Debian's kernels); KASAN and KCSAN builds have one {@code _sub_I_65535_1}
   * constructor per instrumented object (~440). Locating such a frame decodes one unit per copy (two
   * of them were half the DWARF of a KUnit kernel) for a list of hundreds of places that tells a
   * reader nothing; what does tell them apart is the raw address, which is still used.
   */
  public static final int DEFAULT_MAX_LOCATED = 16;

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
    if (maxLocated < 1) {
      throw new IllegalArgumentException("maxLocated must be at least 1");
    }
  }

  /**
   * No modules, no cache, build-relative paths, diagnostics dropped, one thread per core; with a
   * cache directory, a missing index is built while opening.
   */
  public static SymbolizerOptions defaults() {
    return new SymbolizerOptions(Optional.empty(), Optional.empty(), false, Optional.empty(), Diagnostics.none(),
        Runtime.getRuntime().availableProcessors(), IndexBuild.WHEN_MISSING, DEFAULT_MAX_LOCATED);
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
        indexBuild, maxLocated);
  }

  public SymbolizerOptions withCacheDirectory(Path dir) {
    return new SymbolizerOptions(modulesDirectory, Optional.of(dir), rawPaths, stripPrefix, diagnostics, threads,
        indexBuild, maxLocated);
  }

  public SymbolizerOptions withoutCache() {
    return new SymbolizerOptions(modulesDirectory, Optional.empty(), rawPaths, stripPrefix, diagnostics, threads,
        indexBuild, maxLocated);
  }

  public SymbolizerOptions withRawPaths(boolean raw) {
    return new SymbolizerOptions(modulesDirectory, cacheDirectory, raw, stripPrefix, diagnostics, threads,
        indexBuild, maxLocated);
  }

  public SymbolizerOptions withStripPrefix(String prefix) {
    return new SymbolizerOptions(modulesDirectory, cacheDirectory, rawPaths, Optional.of(prefix), diagnostics,
        threads, indexBuild, maxLocated);
  }

  public SymbolizerOptions withDiagnostics(Diagnostics sink) {
    return new SymbolizerOptions(modulesDirectory, cacheDirectory, rawPaths, stripPrefix, sink, threads,
        indexBuild, maxLocated);
  }

  public SymbolizerOptions withIndexBuild(IndexBuild b) {
    return new SymbolizerOptions(modulesDirectory, cacheDirectory, rawPaths, stripPrefix, diagnostics, threads, b,
        maxLocated);
  }

  public SymbolizerOptions withThreads(int n) {
    return new SymbolizerOptions(modulesDirectory, cacheDirectory, rawPaths, stripPrefix, diagnostics, n, indexBuild,
        maxLocated);
  }

  public SymbolizerOptions withMaxLocated(int n) {
    return new SymbolizerOptions(modulesDirectory, cacheDirectory, rawPaths, stripPrefix, diagnostics, threads,
        indexBuild, n);
  }
}
