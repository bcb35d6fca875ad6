package dev.ktriage.symbolizer.elf;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Random access to the bytes of one ELF image, handed out as read-only buffers.
 *
 * <p>The {@code load} layer implements it over a memory-mapped file (one mapping per request, so no
 * buffer exceeds 2 GiB even when the file does) or over a byte array (decompressed {@code .ko.xz}).
 * Buffers come back with position 0, limit {@code length} and unspecified byte order.
 */
public interface ByteSource {
  /** Total size in bytes. */
  long size();

  /**
   * The bytes {@code [offset, offset + length)}.
   *
   * @throws IOException if the underlying file cannot be mapped
   * @throws IllegalArgumentException if the range is outside {@code [0, size())} or longer than 2 GiB;
   *     callers check bounds first and report {@link ElfFormatException.Kind#TRUNCATED}
   */
  ByteBuffer slice(long offset, long length) throws IOException;

  /** A source over a heap buffer (tests, decompressed modules). */
  static ByteSource of(ByteBuffer whole) {
    ByteBuffer base = whole.duplicate();
    return new ByteSource() {
      @Override
      public long size() {
        return base.remaining();
      }

      @Override
      public ByteBuffer slice(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > base.remaining()) {
          throw new IllegalArgumentException("range outside buffer");
        }
        return base.slice(base.position() + (int) offset, (int) length);
      }
    };
  }
}
