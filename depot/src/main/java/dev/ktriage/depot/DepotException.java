package dev.ktriage.depot;

import java.io.IOException;

/**
 * An operation on the stack depot or the report store that cannot go on. Subclasses carry the
 * structured fields a caller needs to explain the problem; messages are short lowercase facts.
 *
 * <p>An {@link IOException}, as Lucene's {@code CorruptIndexException} and {@code
 * LockObtainFailedException} are: a store method declared {@code throws IOException} may throw one,
 * and a caller tells a store problem (exit 3) from other I/O by testing for this type first.
 */
public abstract sealed class DepotException extends IOException
    permits StoreLockedException, CorruptStoreException, SchemaVersionException, StoreAccessException,
    StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  protected DepotException(String message, Throwable cause) {
    super(message, cause);
  }
}
