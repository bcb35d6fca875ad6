package dev.ktriage.cli.fastpath;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code addr2line}'s answers as UTF-8 bytes, written straight to stdout. A batch of random frames
 * prints ~150 bytes each; through a {@code PrintWriter} every line went through a
 * {@code StringBuilder}, a {@code String} and the charset encoder, and hex addresses through
 * {@code Long.toHexString}. Here names and paths are encoded once (the symbolizer hands out the same
 * strings again and again) and numbers are written digit by digit.
 *
 * <p>Like a {@code PrintWriter}, it does not throw: a failed write (the reader has gone) sets
 * {@link #failed()} and later output is dropped. An instance without a stream keeps its bytes in
 * memory until {@link #moveTo} hands them to another (answers prepared on a helper thread). Not
 * thread-safe.
 */
public final class AnswerBytes {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NEWLINE = System.lineSeparator().getBytes(StandardCharsets.US_ASCII);
  // A direct-mapped cache of encoded strings: slot by the string's (cached) hash, checked by identity
  // first (the symbolizer hands out the same String objects) and then by value. No map nodes, no
  // growth: a long-running co-process keeps at most this many.
  private static final int SLOTS = 1 << 16;

  private final OutputStream out;
  // Without a stream: the filled buffers, in order.
  private final List<byte[]> chunks = new ArrayList<>();
  private final String[] keys = new String[SLOTS];
  private final byte[][] values = new byte[SLOTS][];
  private byte[] buf = new byte[1 << 16];
  private int n;
  private boolean failed;

  public AnswerBytes(OutputStream out) {
    this.out = out;
  }

  /** Answers kept in memory, for {@link #moveTo}. */
  public AnswerBytes() {
    this(null);
  }

  /** Appends a string as UTF-8. */
  public AnswerBytes text(String s) {
    int slot = s.hashCode() & (SLOTS - 1);
    String k = keys[slot];
    if (k != s && !s.equals(k)) {
      keys[slot] = s;
      values[slot] = s.getBytes(StandardCharsets.UTF_8);
    }
    return bytes(values[slot]);
  }

  /** Appends {@code 0x} and the address as 16 lowercase hex digits ({@code "0x%016x"}). */
  public AnswerBytes address(long v) {
    ensure(18);
    buf[n++] = '0';
    buf[n++] = 'x';
    for (int shift = 60; shift >= 0; shift -= 4) {
      buf[n++] = HEX[(int) (v >>> shift) & 0xf];
    }
    return this;
  }

  /** Appends a decimal number. */
  public AnswerBytes decimal(int v) {
    if (v < 0) {
      return bytes(Integer.toString(v).getBytes(StandardCharsets.US_ASCII)); // not seen in line numbers
    }
    ensure(10);
    int start = n;
    do {
      buf[n++] = (byte) ('0' + v % 10);
      v /= 10;
    } while (v > 0);
    for (int i = start, j = n - 1; i < j; i++, j--) {
      byte t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
    return this;
  }

  /** Appends a single ASCII character. */
  public AnswerBytes ascii(char c) {
    ensure(1);
    buf[n++] = (byte) c;
    return this;
  }

  /** Ends a line with the platform's line separator. */
  public AnswerBytes newline() {
    return bytes(NEWLINE);
  }

  private AnswerBytes bytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, n, b.length);
    n += b.length;
    return this;
  }

  private void ensure(int more) {
    if (n + more > buf.length) {
      if (n > 0) {
        drain();
      }
      if (more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(more, buf.length * 2));
      }
    }
  }

  private void drain() {
    if (out == null) {
      if (n > 0) {
        chunks.add(Arrays.copyOf(buf, n));
      }
    } else if (!failed) {
      try {
        out.write(buf, 0, n);
      } catch (IOException e) {
        failed = true;
      }
    }
    n = 0;
  }

  /**
   * Appends everything this in-memory instance holds to {@code dest}, in order, and empties it.
   */
  public void moveTo(AnswerBytes dest) {
    if (out != null || dest.out == null) {
      throw new IllegalStateException("moveTo is from memory to a stream");
    }
    drain();
    dest.drain();
    for (byte[] c : chunks) {
      if (!dest.failed) {
        try {
          dest.out.write(c);
        } catch (IOException e) {
          dest.failed = true;
        }
      }
    }
    chunks.clear();
  }

  /** Writes what is buffered and flushes the stream. */
  public void flush() {
    drain();
    if (!failed && out != null) {
      try {
        out.flush();
      } catch (IOException e) {
        failed = true;
      }
    }
  }

  /** Whether a write failed (the reader has gone). */
  public boolean failed() {
    return failed;
  }
}
