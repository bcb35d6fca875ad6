package dev.ktriage.cli;

/**
 * Input that cannot be used: a missing file, a directory where a file is needed, unreadable or
 * corrupt compressed data. Its message is the one line the user sees after {@code ktriage: }.
 */
final class InputException extends Exception {
  InputException(String message) {
    super(message);
  }

  InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
