package dev.ktriage.symbolizer.load;

import com.github.luben.zstd.ZstdInputStream;
import dev.ktriage.symbolizer.elf.ByteSource;
import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.elf.ElfFormatException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Opens an ELF file from disk: memory-mapped when plain, decompressed onto the heap when it is a
 * compressed module ({@code .xz}, {@code .zst}, {@code .gz}; modules are tens of MB at most).
 *
 * <p>Stateless.
 */
public final class ObjectLoader {
  private static final long MAX_DECOMPRESSED = Integer.MAX_VALUE - 8;

  private ObjectLoader() {
    // no instance
  }

  /** The opened file and what must be closed with it. */
  public record Opened(ElfFile elf, AutoCloseable resource) {}

  public static Opened open(Path path, Consumer<String> warnings) throws IOException, ElfFormatException {
    requireRegularFile(path);
    String name = path.getFileName().toString();
    if (name.endsWith(".xz") || name.endsWith(".zst") || name.endsWith(".gz")) {
      byte[] bytes = decompress(path, name);
      return new Opened(ElfFile.parse(ByteSource.of(ByteBuffer.wrap(bytes)), warnings), () -> { });
    }
    MappedFile f = MappedFile.open(path);
    try {
      return new Opened(ElfFile.parse(f, warnings), f);
    } catch (IOException | ElfFormatException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  /**
   * Refuses FIFOs, devices and directories before opening: opening a FIFO blocks until a writer
   * comes, which would hang the caller. (A file swapped for a FIFO between this check and the open
   * is not covered; nothing here creates such files.)
   */
  public static void requireRegularFile(Path path) throws IOException {
    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
    if (!a.isRegularFile()) {
      throw new IOException(path + ": not a regular file");
    }
  }

  private static byte[] decompress(Path path, String name) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        InputStream in = name.endsWith(".xz") ? new XZInputStream(raw)
            : name.endsWith(".zst") ? new ZstdInputStream(raw) : new GZIPInputStream(raw)) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 20);
      byte[] buf = new byte[1 << 16];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > MAX_DECOMPRESSED) {
          throw new IOException(path + ": decompressed module larger than 2 gib");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }
}
