package dev.ktriage.symbolizer.symbolize;

import dev.ktriage.symbolizer.dwarf.DwarfFormatException;

/**
 * A value computed at most once, remembering a {@link DwarfFormatException} as its outcome too, so
 * that a damaged unit is decoded (and reported) once rather than on every lookup.
 *
 * <p>Thread-safe: concurrent callers wait for the first computation.
 */
final class Memo<T> {
  /** The computation. */
  @FunctionalInterface
  interface Source<T> {
    T get() throws DwarfFormatException;
  }

  private final Source<T> source;
  private volatile boolean done;
  private T value;
  private DwarfFormatException error;

  Memo(Source<T> source) {
    this.source = source;
  }

  T get() throws DwarfFormatException {
    return get(source);
  }

  /** Whether the value (or failure) is known. */
  boolean isDone() {
    return done;
  }

  /** Like {@link #get()}, computing with {@code first} (an equivalent source) if not yet computed. */
  T get(Source<T> first) throws DwarfFormatException {
    if (!done) {
      synchronized (this) {
        if (!done) {
          try {
            value = first.get();
          } catch (DwarfFormatException e) {
            error = e;
          } catch (RuntimeException e) {
            // A decoder bug on hostile input must not escape as an unchecked exception per lookup.
            error = new DwarfFormatException(DwarfFormatException.Kind.MALFORMED, "?", 0,
                "decoder failure (" + e.getClass().getSimpleName() + ")");
            error.initCause(e); // for --debug and the fuzz tests, which count these as findings
          }
          done = true;
        }
      }
    }
    if (error != null) {
      throw error;
    }
    return value;
  }
}
