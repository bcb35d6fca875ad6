package dev.ktriage.depot.store;

/** A search query that does not parse; the message says where. */
public final class QuerySyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  public QuerySyntaxException(String message, Throwable cause) {
    super(message, cause);
  }
}
