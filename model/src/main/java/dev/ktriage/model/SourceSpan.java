package dev.ktriage.model;

import java.util.Objects;

/**
 * Where a report is in its log.
 *
 * @param path the log's path exactly as given on the command line, or {@code -} for stdin
 * @param firstLine 1-based line of the report's first line
 * @param lastLine 1-based line of its last line (inclusive)
 */
public record SourceSpan(String path, long firstLine, long lastLine) {
  public SourceSpan {
    Objects.requireNonNull(path);
  }
}
