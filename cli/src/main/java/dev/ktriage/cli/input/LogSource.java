package dev.ktriage.cli.input;

import com.github.luben.zstd.ZstdInputStream;
import dev.ktriage.cli.input.xz.XzInputStream;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * Opens a log named on the command line ({@code -} is stdin) and undoes gzip, xz or zstd
 * compression, recognized by the stream's magic bytes (so {@code .log.1.gz} from logrotate and a
 * compressed stream on stdin both work).
 *
 * @param name the argument exactly as the user gave it; reports cite it as their source path
 */
public record LogSource(String name) {

  public static final String STDIN = "-";

  private static final int PEEK = 6;

  public boolean isStdin() {
    return name.equals(STDIN);
  }

  /** Opens the log; the caller closes the stream. */
  public LogStream open(InputStream stdin) throws InputException {
    return open(stdin, null);
  }

  /**
   * Opens the log; the caller closes the stream.
   *
   * @param rawBytes if not null, counts the bytes read from the file or stdin (compressed, if it is),
   *     for progress
   */
  public LogStream open(InputStream stdin, AtomicLong rawBytes) throws InputException {
    InputStream raw;
    if (isStdin()) {
      raw = stdin;
    } else {
      Path p = Path.of(name);
      if (Files.isDirectory(p)) {
        throw new InputException(name + ": is a directory (give the log files in it)");
      }
      try {
        raw = Files.newInputStream(p);
      } catch (NoSuchFileException e) {
        throw new InputException(name + ": no such file");
      } catch (AccessDeniedException e) {
        throw new InputException(name + ": permission denied");
      } catch (IOException e) {
        throw new InputException(name + ": cannot open: " + e.getMessage(), e);
      }
    }
    if (rawBytes != null) {
      raw = new Counting(raw, rawBytes);
    }
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    try {
      InputStream text = decompressed(in);
      return new LogStream(text, text != in);
    } catch (IOException e) {
      try {
        in.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new InputException(name + ": " + LogErrors.describe(e), e);
    }
  }

  /** Counts the bytes read through it. */
  private static final class Counting extends FilterInputStream {
    private final AtomicLong count;

    Counting(InputStream in, AtomicLong count) {
      super(in);
      this.count = count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count.addAndGet(n);
      }
      return n;
    }
  }
  private static InputStream decompressed(BufferedInputStream in) throws IOException {
    in.mark(PEEK);
    byte[] magic = in.readNBytes(PEEK);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    if (magic.length >= 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z'
        && magic[3] == 'X' && magic[4] == 'Z' && magic[5] == 0) {
      return new XzInputStream(in); // streaming: a cut file gives what xz -dc gives (see the package)
    }
    if (magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
      return new ZstdInputStream(in);
    }
    return in;
  }
}
