package dev.ktriage.symbolizer.elf;

import com.github.luben.zstd.Zstd;
import dev.ktriage.symbolizer.elf.ElfFormatException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses debug sections: SHF_COMPRESSED ones (gABI "Section Compression", {@code Elf32_Chdr}/
 * {@code Elf64_Chdr}, zlib or zstd) and legacy GNU {@code .zdebug_*} ones ("ZLIB" + 8-byte big-endian
 * size + zlib stream).
 *
 * <p>Stateless; safe to call from any thread.
 */
final class SectionDecompressor {
  static final int ELFCOMPRESS_ZLIB = 1;
  static final int ELFCOMPRESS_ZSTD = 2;

  private SectionDecompressor() {
    // no instance
  }

  static ByteBuffer decompressChdr(ByteBuffer data, boolean is64, ByteOrder order, String section)
      throws ElfFormatException {
    ByteBuffer b = data.duplicate().order(order);
    int headerSize = is64 ? 24 : 12;
    if (b.limit() < headerSize) {
      throw new ElfFormatException(Kind.TRUNCATED, section, 0, "truncated compression header");
    }
    int chType = b.getInt(0);
    long chSize = is64 ? b.getLong(8) : Integer.toUnsignedLong(b.getInt(4));
    ByteBuffer payload = b.slice(headerSize, b.limit() - headerSize);
    return switch (chType) {
      case ELFCOMPRESS_ZLIB -> inflate(payload, chSize, section);
      case ELFCOMPRESS_ZSTD -> unzstd(payload, chSize, section);
      default -> throw new ElfFormatException(Kind.UNSUPPORTED, section, 0, "unknown compression type " + chType);
    };
  }

  static ByteBuffer decompressZdebug(ByteBuffer data, String section) throws ElfFormatException {
    ByteBuffer b = data.duplicate().order(ByteOrder.BIG_ENDIAN);
    if (b.limit() < 12 || b.get(0) != 'Z' || b.get(1) != 'L' || b.get(2) != 'I' || b.get(3) != 'B') {
      throw new ElfFormatException(Kind.BAD_COMPRESSION, section, 0, "missing zlib header");
    }
    long size = b.getLong(4);
    return inflate(b.slice(12, b.limit() - 12), size, section);
  }

  private static int checkedSize(long size, String section) throws ElfFormatException {
    if (size < 0 || size > Integer.MAX_VALUE - 8) {
      throw new ElfFormatException(Kind.UNSUPPORTED, section, 0, "uncompressed size " + size + " too large");
    }
    return (int) size;
  }

  private static ByteBuffer inflate(ByteBuffer payload, long size, String section) throws ElfFormatException {
    int n0 = checkedSize(size, section);
    // deflate expands at most ~1032:1: a larger claimed size is a damaged header, refused before
    // allocating it
    if (n0 > 1032L * payload.remaining() + 1024) {
      throw new ElfFormatException(Kind.BAD_COMPRESSION, section, 0,
          "uncompressed size " + n0 + " impossible for " + payload.remaining() + " bytes of zlib data");
    }
    byte[] out = new byte[n0];
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(payload.duplicate());
      int n = 0;
      while (n < out.length) {
        int got = inflater.inflate(out, n, out.length - n);
        if (got == 0) {
          if (inflater.finished() || inflater.needsInput() || inflater.needsDictionary()) {
            break;
          }
        }
        n += got;
      }
      if (n != out.length) {
        throw new ElfFormatException(Kind.BAD_COMPRESSION, section, 0,
            "zlib data ends after " + n + " of " + out.length + " bytes");
      }
    } catch (DataFormatException e) {
      throw new ElfFormatException(Kind.BAD_COMPRESSION, section, 0, "bad zlib data");
    } finally {
      inflater.end();
    }
    return ByteBuffer.wrap(out);
  }

  private static ByteBuffer unzstd(ByteBuffer payload, long size, String section) throws ElfFormatException {
    byte[] in = new byte[payload.remaining()];
    payload.duplicate().get(in);
    int n = checkedSize(size, section);
    long n0;
    byte[] out;
    try {
      // The frame header records the content size (as ld writes it): a ch_size that disagrees is
      // damage, found before allocating what a damaged ch_size asks for.
      long framed = Zstd.getFrameContentSize(in);
      if (framed >= 0 && framed != n) {
        throw new ElfFormatException(Kind.BAD_COMPRESSION, section, 0,
            "zstd frame holds " + framed + " bytes, compression header says " + n);
      }
      if (framed < 0 && n > 32768L * in.length + (1 << 20)) {
        // no recorded size: beyond zstd's largest ratio (a 4-byte RLE block per 128 KiB) is damage
        throw new ElfFormatException(Kind.BAD_COMPRESSION, section, 0,
            "uncompressed size " + n + " impossible for " + in.length + " bytes of zstd data");
      }
      out = new byte[n];
      n0 = Zstd.decompressByteArray(out, 0, out.length, in, 0, in.length);
    } catch (RuntimeException e) {
      // zstd-jni reports damaged frames by throwing ZstdException (unchecked)
      throw new ElfFormatException(Kind.BAD_COMPRESSION, section, 0,
          "bad zstd data (" + String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT) + ")");
    }
    if (Zstd.isError(n0)) {
      throw new ElfFormatException(Kind.BAD_COMPRESSION, section, 0,
          "bad zstd data (" + Zstd.getErrorName(n0).toLowerCase(java.util.Locale.ROOT) + ")");
    }
    if (n0 != out.length) {
      throw new ElfFormatException(Kind.BAD_COMPRESSION, section, 0,
          "zstd data ends after " + n0 + " of " + out.length + " bytes");
    }
    return ByteBuffer.wrap(out);
  }
}
