package dev.ktriage.depot;

/**
 * A store on a server cannot be used now: unreachable, refusing the credentials, unhealthy (a red
 * cluster), or answering in a way ktriage does not understand. The message names the server.
 */
public final class StoreUnavailableException extends DepotException {
  private static final long serialVersionUID = 1L;
  private final String location;

  public StoreUnavailableException(String location, String message, Throwable cause) {
    super(location + ": " + message, cause);
    this.location = location;
  }

  /** The server, as the user named it. */
  public String location() {
    return location;
  }
}
