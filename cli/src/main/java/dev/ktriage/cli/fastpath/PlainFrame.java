package dev.ktriage.cli.fastpath;

import dev.ktriage.cli.symbolize.Addr2lineInput;
import dev.ktriage.symbolizer.FrameQuery;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fast path of {@link Addr2lineInput#parse}: a line that is exactly {@code name+0xoff} or
 * {@code name+0xoff/0xsize} (ASCII, no blanks, no module, no console prefix), the shape scripts
 * and benchmarks feed by the hundred thousand. Anything else is left to the general frame parser,
 * which answers the same for these lines (checked by {@code PlainFrameTest}) but costs several
 * times more per line: sanitizing, prefix splitting and the recognizer's copies.
 */
public final class PlainFrame {
  private PlainFrame() {
    // no instance
  }

  /**
   * The query for a plain frame line, or null when the line is not one (the caller then uses the
   * general parser).
   *
   * @param exact {@code --exact}: look the frame up at its own address rather than the call before it
   */
  public static FrameQuery parse(String line, boolean exact) {
    int n = line.length();
    int i = 0;
    if (n == 0 || !identStart(line.charAt(0))) {
      return null;
    }
    i++;
    while (i < n && identPart(line.charAt(i))) {
      i++;
    }
    int nameEnd = i;
    if (i + 2 >= n || line.charAt(i) != '+' || line.charAt(i + 1) != '0' || line.charAt(i + 2) != 'x') {
      return null;
    }
    i += 3;
    int offStart = i;
    long off = 0;
    while (i < n && hexDigit(line.charAt(i)) >= 0) {
      off = off << 4 | hexDigit(line.charAt(i));
      i++;
    }
    if (i == offStart || i - offStart > 16) {
      return null;
    }
    OptionalLong size = OptionalLong.empty();
    if (i < n) {
      if (line.charAt(i) != '/') {
        return null;
      }
      i++;
      if (i + 1 < n && line.charAt(i) == '0' && line.charAt(i + 1) == 'x') {
        i += 2;
      }
      int sizeStart = i;
      long sz = 0;
      while (i < n && hexDigit(line.charAt(i)) >= 0) {
        sz = sz << 4 | hexDigit(line.charAt(i));
        i++;
      }
      if (i != n || i == sizeStart || i - sizeStart > 16) {
        return null;
      }
      size = OptionalLong.of(sz);
    }
    return new FrameQuery(line.substring(0, nameEnd), off, size, Optional.empty(), OptionalLong.empty(), !exact);
  }

  // The recognizer's identifier characters (FrameLineRecognizer), ASCII only.
  private static boolean identStart(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '.' || c == '$';
  }

  private static boolean identPart(char c) {
    return identStart(c) || c >= '0' && c <= '9';
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
