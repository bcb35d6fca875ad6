package dev.ktriage.grammar.log;

import java.util.Objects;

/**
 * One line of a console log with its prefix decoded.
 *
 * @param number 1-based line number in the log ({@code \n}-separated, like {@code grep -n})
 * @param prefix what the console prefix said
 * @param body the text after the prefix, sanitized (no control characters or ANSI escapes)
 */
public record ConsoleLine(long number, ConsolePrefix prefix, String body) {
  public ConsoleLine {
    Objects.requireNonNull(prefix);
    Objects.requireNonNull(body);
  }
}
