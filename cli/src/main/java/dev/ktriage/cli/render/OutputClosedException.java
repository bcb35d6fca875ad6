package dev.ktriage.cli.render;

import java.io.IOException;

/**
 * Stdout went away (the reader of a pipe exited, as {@code | head} does): the command stops
 * quietly, like other Unix filters.
 */
public final class OutputClosedException extends Exception {
  private static final long serialVersionUID = 1L;

  public OutputClosedException(IOException cause) {
    super(cause.getMessage(), cause);
  }
}
