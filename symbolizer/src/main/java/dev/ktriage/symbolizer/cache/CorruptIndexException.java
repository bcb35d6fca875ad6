package dev.ktriage.symbolizer.cache;

import java.io.IOException;
import java.nio.file.Path;

/** The persistent index file is damaged, truncated, stale or of another version; it is rebuilt. */
public final class CorruptIndexException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;

  public CorruptIndexException(Path file, String detail) {
    super(file + ": " + detail);
    this.file = file;
  }

  /** The index file. */
  public Path file() {
    return file;
  }
}
