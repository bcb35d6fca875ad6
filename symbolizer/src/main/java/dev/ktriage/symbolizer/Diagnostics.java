package dev.ktriage.symbolizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the symbolizer reports problems that do not stop it: a unit whose DWARF is corrupt, a
 * skipped relocation type, a cache file that was rebuilt. The library never prints; the caller
 * decides what to show.
 *
 * <p>Implementations must be thread-safe: lookups may run on several threads.
 */
@FunctionalInterface
public interface Diagnostics {
  /** What kind of problem a {@link Diagnostic} is, for counting. */
  enum Kind {
    /** Part of the debug information could not be decoded; lookups there return less. */
    CORRUPT_DEBUG_INFO,
    /** A relocation, note or section was skipped. */
    SKIPPED,
    /** The persistent index was missing, stale or corrupt and was rebuilt or bypassed. */
    CACHE,
    /** A module could not be found or opened. */
    MODULE
  }

  /**
   * One reported problem.
   *
   * @param kind category
   * @param object the file it concerns (vmlinux, a module, a cache file)
   * @param message short lowercase fact
   */
  record Diagnostic(Kind kind, String object, String message) {}

  void report(Diagnostic d);

  /** A sink that drops everything. */
  static Diagnostics none() {
    return d -> { };
  }

  /** A thread-safe sink that keeps everything, for tests and for callers that summarize at the end. */
  final class Collector implements Diagnostics {
    private final List<Diagnostic> items = new ArrayList<>();

    @Override
    public synchronized void report(Diagnostic d) {
      items.add(d);
    }

    public synchronized List<Diagnostic> items() {
      return List.copyOf(items);
    }
  }
}
