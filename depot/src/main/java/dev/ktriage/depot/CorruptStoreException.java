package dev.ktriage.depot;

import java.nio.file.Path;

/** A file of the store or depot is damaged: bad magic, bad checksum, truncated, inconsistent. */
public final class CorruptStoreException extends DepotException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final String reason;

  public CorruptStoreException(Path file, String reason) {
    this(file, reason, null);
  }

  public CorruptStoreException(Path file, String reason, Throwable cause) {
    super(file + ": corrupt (" + reason + ")", cause);
    this.file = file;
    this.reason = reason;
  }

  /** The damaged file (or directory, for a damaged index). */
  public Path file() {
    return file;
  }

  /** What is wrong with it. */
  public String reason() {
    return reason;
  }
}
