package dev.ktriage.cli.input;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Watches the first 64 KiB that pass through it and tells whether they look like binary data rather
 * than a text log, so that {@code ktriage parse vmlinux} says so instead of quietly finding nothing.
 * Console logs contain some control bytes (NULs from serial noise, escapes for colour); a file is
 * called binary when more than a tenth of its first bytes are neither text nor such noise.
 *
 * <p>Not thread-safe.
 */
public final class BinarySniffer extends FilterInputStream {

  private static final int WINDOW = 64 * 1024;
  private long seen;
  private long odd;

  public BinarySniffer(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(b);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    for (int i = 0; i < n && seen < WINDOW; i++) {
      count(buf[off + i] & 0xff);
    }
    return n;
  }

  private void count(int b) {
    if (seen >= WINDOW) {
      return;
    }
    seen++;
    boolean text = b >= 0x20 && b != 0x7f || b == '\n' || b == '\r' || b == '\t' || b == 0x1b;
    if (!text) {
      odd++;
    }
  }

  public boolean looksBinary() {
    return seen > 0 && odd * 10 > seen;
  }
}
