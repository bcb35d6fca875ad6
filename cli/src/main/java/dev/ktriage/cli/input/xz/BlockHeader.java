package dev.ktriage.cli.input.xz;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.zip.CRC32;
import org.tukaani.xz.ARM64Options;
import org.tukaani.xz.ARMOptions;
import org.tukaani.xz.ARMThumbOptions;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.DeltaOptions;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.IA64Options;
import org.tukaani.xz.PowerPCOptions;
import org.tukaani.xz.RISCVOptions;
import org.tukaani.xz.SPARCOptions;
import org.tukaani.xz.X86Options;

/**
 * An xz block header: its size, the sizes it may declare, the LZMA2 dictionary size and the filters
 * before LZMA2 (delta, BCJ), which XZ for Java's public API decodes.
 *
 * @param size the header's size in bytes (a multiple of 4, 8 to 1024)
 * @param compressedSize the compressed size it declares, if it does
 * @param uncompressedSize the uncompressed size it declares, if it does
 * @param dictSize the LZMA2 dictionary size
 * @param filters the filters before LZMA2, in the order the encoder applied them
 */
record BlockHeader(int size, OptionalLong compressedSize, OptionalLong uncompressedSize, int dictSize,
    List<FilterOptions> filters) {

  private static final long LZMA2 = 0x21;
  private static final long DELTA = 0x03;
  /** The largest dictionary XZ for Java (and this decoder's int positions) take: 1.5 GiB. */
  private static final int DICT_PROPS_MAX = 37;

  /**
   * Reads the header whose first byte ({@code sizeByte}, not 0: that starts the index) was read.
   *
   * @throws java.io.EOFException when the data ends inside it
   */
  static BlockHeader read(int sizeByte, InputStream in) throws IOException {
    int size = (sizeByte + 1) * 4;
    byte[] h = new byte[size];
    h[0] = (byte) sizeByte;
    XzInputStream.readFully(in, h, 1, size - 1);
    CRC32 crc = new CRC32();
    crc.update(h, 0, size - 4);
    if ((int) crc.getValue() != XzInputStream.int32(h, size - 4)) {
      throw new CorruptXzException("a block header's CRC32 does not match");
    }
    Cursor c = new Cursor(h, size - 4);
    int flags = c.next();
    if ((flags & 0x3C) != 0) {
      throw new CorruptXzException("a block header sets reserved flags");
    }
    OptionalLong compressed = (flags & 0x40) != 0 ? OptionalLong.of(c.varint()) : OptionalLong.empty();
    OptionalLong uncompressed = (flags & 0x80) != 0 ? OptionalLong.of(c.varint()) : OptionalLong.empty();
    int count = (flags & 0x03) + 1;
    List<FilterOptions> filters = new ArrayList<>();
    int dictSize = -1;
    for (int i = 0; i < count; i++) {
      long id = c.varint();
      int propsSize = (int) Math.min(c.varint(), 1024);
      byte[] props = c.bytes(propsSize);
      if (i == count - 1) {
        if (id != LZMA2 || props.length != 1 || (props[0] & 0xFF) > DICT_PROPS_MAX) {
          throw new CorruptXzException("the last filter of a block is not LZMA2 with a dictionary size this decoder takes");
        }
        dictSize = (2 | (props[0] & 1)) << ((props[0] & 0xFF) / 2 + 11);
      } else {
        filters.add(filter(id, props));
      }
    }
    while (c.hasMore()) {
      if (c.next() != 0) {
        throw new CorruptXzException("a block header's padding is not zero");
      }
    }
    return new BlockHeader(size, compressed, uncompressed, dictSize, List.copyOf(filters));
  }

  /** A filter before LZMA2: delta or one of the BCJ filters, by its id. */
  private static FilterOptions filter(long id, byte[] props) throws IOException {
    if (id == DELTA) {
      if (props.length != 1) {
        throw new CorruptXzException("bad delta filter properties");
      }
      return new DeltaOptions((props[0] & 0xFF) + 1);
    }
    FilterOptions bcj = switch ((int) id) {
      case 0x04 -> new X86Options();
      case 0x05 -> new PowerPCOptions();
      case 0x06 -> new IA64Options();
      case 0x07 -> new ARMOptions();
      case 0x08 -> new ARMThumbOptions();
      case 0x09 -> new SPARCOptions();
      case 0x0A -> new ARM64Options();
      case 0x0B -> new RISCVOptions();
      default -> throw new CorruptXzException("unsupported xz filter 0x" + Long.toHexString(id));
    };
    if (props.length == 4) {
      int start = XzInputStream.int32(props, 0);
      switch (bcj) {
        case X86Options o -> o.setStartOffset(start);
        case PowerPCOptions o -> o.setStartOffset(start);
        case IA64Options o -> o.setStartOffset(start);
        case ARMOptions o -> o.setStartOffset(start);
        case ARMThumbOptions o -> o.setStartOffset(start);
        case SPARCOptions o -> o.setStartOffset(start);
        case ARM64Options o -> o.setStartOffset(start);
        case RISCVOptions o -> o.setStartOffset(start);
        default -> throw new IllegalStateException("not a BCJ filter");
      }
    } else if (props.length != 0) {
      throw new CorruptXzException("bad BCJ filter properties");
    }
    return bcj;
  }

  /** The filters' decoders over {@code lzma2}'s output, innermost (the encoder's last) first. */
  InputStream decoders(InputStream lzma2) throws IOException {
    InputStream s = lzma2;
    for (int i = filters.size() - 1; i >= 0; i--) {
      s = filters.get(i).getInputStream(s, ArrayCache.getDummyCache());
    }
    return s;
  }

  /** Reads a header's fields, never past its CRC. */
  private static final class Cursor {
    private final byte[] b;
    private final int end;
    private int pos = 1;

    Cursor(byte[] b, int end) {
      this.b = b;
      this.end = end;
    }

    boolean hasMore() {
      return pos < end;
    }

    int next() throws CorruptXzException {
      if (pos >= end) {
        throw new CorruptXzException("a block header is too short for its fields");
      }
      return b[pos++] & 0xFF;
    }

    long varint() throws CorruptXzException {
      long v = 0;
      for (int i = 0; i < 9; i++) {
        int x = next();
        v |= (long) (x & 0x7F) << (7 * i);
        if ((x & 0x80) == 0) {
          if (x == 0 && i > 0) {
            throw new CorruptXzException("a block header has a badly encoded number");
          }
          return v;
        }
      }
      throw new CorruptXzException("a block header has a number longer than 9 bytes");
    }

    byte[] bytes(int n) throws CorruptXzException {
      if (n > end - pos) {
        throw new CorruptXzException("a block header is too short for its fields");
      }
      byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return out;
    }
  }
}
