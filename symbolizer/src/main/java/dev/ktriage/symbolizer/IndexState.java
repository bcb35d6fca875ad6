package dev.ktriage.symbolizer;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the persistent index did when a {@link Symbolizer} was opened.
 *
 * @param status whether answers come from an index
 * @param seenBefore for {@link Status#MISSING}: this vmlinux (by build-id) was opened with this cache
 *     directory before, also without an index (a later run: building the index now pays)
 * @param file the index file, when the vmlinux has a build-id and a cache directory was given
 */
public record IndexState(Status status, boolean seenBefore, Optional<Path> file) {

  /** Whether answers come from an index. */
  public enum Status {
    /** A valid index was read: answers come from it. */
    USED,
    /** There was none (or it was stale or damaged) and this open built it: answers come from it. */
    BUILT,
    /**
     * There is no valid index and this open did not build one
     * ({@link SymbolizerOptions.IndexBuild#NEVER}): answers are decoded from DWARF on demand.
     */
    MISSING,
    /** Nothing is cached: no cache directory, no build-id, or the index path is not a regular file. */
    NONE
  }

  public IndexState {
    Objects.requireNonNull(status);
    Objects.requireNonNull(file);
  }

  static IndexState none() {
    return new IndexState(Status.NONE, false, Optional.empty());
  }
}
