package dev.ktriage.cli.input;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into {@code \n}-terminated lines without decoding them, so that a line can be
 * written back exactly as it came (invalid UTF-8, NULs, {@code \r\n} and all). Lines longer than
 * {@link #MAX_LINE} come in pieces marked {@link Line#fragment()}: memory stays bounded whatever the
 * input.
 *
 * <p>Not thread-safe.
 */
public final class RawLineReader {

  /** Longer lines are not frame lines and are handed on in pieces of about this size. */
  static final int MAX_LINE = 64 * 1024;

  /**
   * One line.
   *
   * @param bytes the line with its terminator ({@code \n}, {@code \r\n}, none at the end of input)
   * @param contentEnd where the terminator starts: the {@code \n} and any {@code \r} before it
   * @param fragment true for every piece of a line longer than {@link #MAX_LINE}
   */
  public record Line(byte[] bytes, int contentEnd, boolean fragment) {
    /** The terminator, or {@code \n} when the line had none (the last line of a file). */
    public byte[] terminatorOrNewline() {
      return contentEnd == bytes.length ? new byte[] {'\n'} : Arrays.copyOfRange(bytes, contentEnd, bytes.length);
    }
  }

  private final InputStream in;
  private byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private boolean eof;
  private boolean inLongLine;

  public RawLineReader(InputStream in) {
    this.in = in;
  }

  /** The next line, or null at the end of input. */
  public Line next() throws IOException {
    int scanFrom = pos;
    while (true) {
      for (int i = scanFrom; i < limit; i++) {
        if (buf[i] == '\n') {
          return take(i + 1, true);
        }
      }
      if (limit - pos >= MAX_LINE) {
        return take(limit, false);
      }
      if (eof) {
        return pos < limit ? take(limit, true) : null;
      }
      int scanned = limit - pos;
      fill(); // may move the buffered bytes to the front
      scanFrom = pos + scanned;
    }
  }

  /** Whether the next {@link #next} would wait for input (nothing buffered, nothing available). */
  public boolean wouldBlock() throws IOException {
    return pos == limit && !eof && in.available() == 0;
  }

  private Line take(int end, boolean lineEnds) {
    byte[] b = Arrays.copyOfRange(buf, pos, end);
    pos = end;
    boolean fragment = inLongLine || !lineEnds;
    inLongLine = !lineEnds;
    int content = b.length;
    if (lineEnds && content > 0 && b[content - 1] == '\n') {
      content--;
      while (content > 0 && b[content - 1] == '\r') {
        content--;
      }
    }
    return new Line(b, content, fragment);
  }

  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    if (limit == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
    }
  }
}
