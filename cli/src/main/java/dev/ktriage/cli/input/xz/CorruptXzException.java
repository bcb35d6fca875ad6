package dev.ktriage.cli.input.xz;

import java.io.IOException;

/** The xz data is not valid from some point on (what was decoded before that was given out). */
public final class CorruptXzException extends IOException {
  private static final long serialVersionUID = 1L;

  CorruptXzException(String message) {
    super(message);
  }
}
