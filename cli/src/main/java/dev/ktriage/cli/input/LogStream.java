package dev.ktriage.cli.input;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A log's text as it is read: for compressed logs, damaged data (cut short, or corrupt from some point
 * on) ends the text there instead of failing the read, as {@code gzip -dc | ktriage parse} would: the
 * reports before the damage are kept, and {@link #damage()} says what happened, for a one-line note.
 * The zstd decoder hands out whole blocks, so the part of the last block before the damage is lost too
 * (up to 128 KiB of log), as with {@code zstd -dc}; xz gives every byte before the damage, as
 * {@code xz -dc} does ({@link dev.ktriage.cli.input.xz}).
 * Errors reading the file itself are still thrown.
 *
 * <p>Not thread-safe.
 */
public final class LogStream extends FilterInputStream {

  private final boolean compressed;
  private long delivered;
  private String damage;

  LogStream(InputStream in, boolean compressed) {
    super(in);
    this.compressed = compressed;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (damage != null) {
      return -1;
    }
    try {
      int n = super.read(b, off, len);
      if (n > 0) {
        delivered += n;
      }
      return n;
    } catch (IOException e) {
      if (!compressed || !LogErrors.isDecompression(e)) {
        throw e;
      }
      damage = (e instanceof EOFException || String.valueOf(e.getMessage()).contains("Truncated")
          ? "compressed data ends early" : LogErrors.describe(e)) + " after " + delivered + " bytes of log";
      return -1;
    }
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] sink = new byte[(int) Math.min(n, 8192)];
    int r = read(sink, 0, sink.length);
    return Math.max(0, r);
  }

  /** What ended a compressed log early, if anything did. */
  public Optional<String> damage() {
    return Optional.ofNullable(damage);
  }
}
