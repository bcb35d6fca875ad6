package dev.ktriage.depot;

/**
 * An operation on the stack depot or the report store that cannot go on. Subclasses carry the
 * structured fields a caller needs to explain the problem; messages are short lowercase facts.
 */
public abstract sealed class DepotException extends Exception
    permits StoreLockedException, CorruptStoreException, SchemaVersionException, StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  protected DepotException(String message, Throwable cause) {
    super(message, cause);
  }
}
