package dev.ktriage.model;

import java.util.Objects;

/**
 * A position in the kernel source tree, such as {@code mm/kasan/report.c:588}.
 *
 * @param file path relative to the source tree, as the kernel and syzkaller print it
 * @param line 1-based line; 0 when the compiler recorded none
 */
public record SourceLocation(String file, int line) {
  public SourceLocation {
    Objects.requireNonNull(file);
  }

  @Override
  public String toString() {
    return file + ":" + line;
  }
}
