package dev.ktriage.depot;

import java.nio.file.Path;

/** Another process (or another writer in this one) holds the store's write lock. */
public final class StoreLockedException extends DepotException {
  private static final long serialVersionUID = 1L;
  private final transient Path store;

  public StoreLockedException(Path store, Throwable cause) {
    super("store " + store + " is in use by another writer", cause);
    this.store = store;
  }

  /** The store directory that is locked. */
  public Path store() {
    return store;
  }
}
