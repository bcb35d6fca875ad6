package dev.ktriage.cli.input;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

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
  public InputStream open(InputStream stdin) throws InputException {
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
    try {
      return decompressed(new BufferedInputStream(raw, 1 << 16));
    } catch (IOException e) {
      throw new InputException(name + ": cannot read: " + e.getMessage(), e);
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
      return new XZInputStream(in);
    }
    if (magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
      return new ZstdInputStream(in);
    }
    return in;
  }
}
