package dev.ktriage.symbolizer.load;

import dev.ktriage.symbolizer.elf.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file read through memory mappings, one per requested range, so that no single buffer has to
 * exceed 2 GiB and the file's bytes never land on the Java heap.
 *
 * <p>Thread-safe ({@link FileChannel#map} is). Mappings stay valid after {@link #close()}; the
 * operating system drops them when the buffers are collected.
 */
public final class MappedFile implements ByteSource, AutoCloseable {
  private final FileChannel channel;
  private final long size;

  private MappedFile(FileChannel channel) throws IOException {
    this.channel = channel;
    this.size = channel.size();
  }

  public static MappedFile open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return new MappedFile(ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public ByteBuffer slice(long offset, long length) throws IOException {
    if (offset < 0 || length < 0 || offset > size || length > size - offset || length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("range outside file");
    }
    if (length == 0) {
      return ByteBuffer.allocate(0);
    }
    if (length <= READ_LIMIT) {
      // Headers, notes, symbol tables: one positioned read onto the heap is cheaper than a mapping.
      ByteBuffer b = ByteBuffer.allocate((int) length);
      while (b.hasRemaining()) {
        if (channel.read(b, offset + b.position()) < 0) {
          throw new IOException("file shrank while reading");
        }
      }
      return b.clear();
    }
    // Note: the first FileChannel.map of a JVM creates its buffer through core reflection, whose
    // method-handle bootstrap is costly at start-up unless -Djdk.reflect.useNativeAccessorOnly=true
    // (the launcher sets it for symbolizing commands).
    return channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
  }

  /** Slices up to this size are read rather than mapped. */
  private static final long READ_LIMIT = 8L << 20;

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
