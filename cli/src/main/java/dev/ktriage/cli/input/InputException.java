package dev.ktriage.cli.input;

/**
 * Input that cannot be used: a missing file, a directory where a file is needed, unreadable or
 * corrupt compressed data. Its message is the one line the user sees after {@code ktriage: }.
 */
public final class InputException extends Exception {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
