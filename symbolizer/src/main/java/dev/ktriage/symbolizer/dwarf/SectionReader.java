package dev.ktriage.symbolizer.dwarf;

import dev.ktriage.symbolizer.dwarf.DwarfFormatException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A bounded cursor over one DWARF section (or a slice of it): every read checks the limit and
 * throws {@link DwarfFormatException} instead of {@link IndexOutOfBoundsException}.
 *
 * <p>Offsets are section offsets (ints: a {@link ByteBuffer} holds at most 2 GiB). Not thread-safe;
 * cheap to create, so each decoder makes its own.
 */
public final class SectionReader {
  private final ByteBuffer buf;
  /**
   * Array mode: the bytes, with section offset {@code p} at index {@code p + off}. Heap sections and
   * windows copied out of a mapping ({@link #window}) read through it: plain array loads are several
   * times cheaper than {@link ByteBuffer} accessors in short-lived (C1-compiled) runs.
   */
  private final byte[] a;
  private final int off;
  private final boolean le;
  /** The largest limit this reader may be given (end of the section or of the window). */
  private final int max;
  private final String section;
  private int pos;
  private int limit;

  public SectionReader(ByteBuffer buf, String section) {
    this.buf = buf;
    this.section = section;
    this.limit = buf.limit();
    this.max = buf.limit();
    this.le = buf.order() == ByteOrder.LITTLE_ENDIAN;
    if (buf.hasArray() && !buf.isReadOnly()) {
      this.a = buf.array();
      this.off = buf.arrayOffset();
    } else {
      this.a = null;
      this.off = 0;
    }
  }

  private SectionReader(ByteBuffer buf, byte[] a, int off, boolean le, int max, String section, int pos, int limit) {
    this.buf = buf;
    this.a = a;
    this.off = off;
    this.le = le;
    this.max = max;
    this.section = section;
    this.pos = pos;
    this.limit = limit;
  }

  /** A reader over the same bytes, positioned at {@code offset}, limited to {@code end}. */
  public SectionReader(SectionReader parent, int offset, int end) throws DwarfFormatException {
    this(parent.buf, parent.a, parent.off, parent.le, parent.max, parent.section, offset, end);
    if (offset < 0 || end > parent.max || offset > end || (a != null && offset + off < 0)) {
      throw new DwarfFormatException(Kind.TRUNCATED, section, offset, "range past end of section");
    }
  }

  /**
   * A reader over a copy of bytes {@code [from, to)} of {@code section}, positioned at {@code from};
   * offsets stay section offsets. For decoders that read a whole unit or line program: one bulk copy,
   * then array reads.
   */
  public static SectionReader window(ByteBuffer section, String name, long from, long to)
      throws DwarfFormatException {
    return window(section, null, name, from, to);
  }

  /** Like {@link #window(ByteBuffer, String, long, long)}, reading through {@code windows} when it can. */
  public static SectionReader window(ByteBuffer section, DwarfSections.Windows windows, String name, long from,
      long to) throws DwarfFormatException {
    if (from < 0 || to > section.limit() || from > to) {
      throw new DwarfFormatException(Kind.TRUNCATED, name, from, "range past end of section");
    }
    int f = (int) from;
    int len = (int) (to - from);
    byte[] copy = windows == null ? null : windows.read(name, from, len);
    if (copy == null || copy.length != len) {
      copy = new byte[len];
      section.get(f, copy, 0, len);
    }
    return new SectionReader(section, copy, -f, section.order() == ByteOrder.LITTLE_ENDIAN, (int) to, name, f,
        (int) to);
  }

  public String section() {
    return section;
  }

  /**
   * The bytes of an array-mode reader (section offset {@code p} at index {@code p + arrayOffset()}),
   * for decoders with their own inner loops; null for a reader over a mapped buffer.
   */
  byte[] array() {
    return a;
  }

  int arrayOffset() {
    return off;
  }

  public ByteBuffer buffer() {
    return buf;
  }

  public ByteOrder order() {
    return le ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
  }

  public int position() {
    return pos;
  }

  public int limit() {
    return limit;
  }

  public int remaining() {
    return limit - pos;
  }

  public boolean hasRemaining() {
    return pos < limit;
  }

  /** Moves to {@code offset} (a section offset within the current limit). */
  public void seek(long offset) throws DwarfFormatException {
    if (offset < 0 || offset > limit || (a != null && offset + off < 0)) {
      throw new DwarfFormatException(Kind.TRUNCATED, section, offset, "offset past end");
    }
    pos = (int) offset;
  }

  /** Narrows the readable range to end at {@code end}. */
  public void limit(long end) throws DwarfFormatException {
    if (end < pos || end > max) {
      throw new DwarfFormatException(Kind.TRUNCATED, section, pos, "length past end of section");
    }
    limit = (int) end;
  }

  public void skip(long n) throws DwarfFormatException {
    if (n < 0 || n > limit - pos) {
      throw eof(n);
    }
    pos += (int) n;
  }

  private DwarfFormatException eof(long wanted) {
    return new DwarfFormatException(Kind.TRUNCATED, section, pos, "unexpected end reading " + wanted + " bytes");
  }

  private int byteAt(int p) {
    return a != null ? a[p + off] & 0xff : buf.get(p) & 0xff;
  }

  public int u8() throws DwarfFormatException {
    if (pos >= limit) {
      throw eof(1);
    }
    return a != null ? a[off + pos++] & 0xff : buf.get(pos++) & 0xff;
  }

  public int u16() throws DwarfFormatException {
    if (limit - pos < 2) {
      throw eof(2);
    }
    int v;
    if (a != null) {
      int p = pos + off;
      v = le ? (a[p] & 0xff) | (a[p + 1] & 0xff) << 8 : (a[p + 1] & 0xff) | (a[p] & 0xff) << 8;
    } else {
      v = Short.toUnsignedInt(buf.getShort(pos));
    }
    pos += 2;
    return v;
  }

  public int u24() throws DwarfFormatException {
    if (limit - pos < 3) {
      throw eof(3);
    }
    int b0 = byteAt(pos);
    int b1 = byteAt(pos + 1);
    int b2 = byteAt(pos + 2);
    pos += 3;
    return le ? b0 | b1 << 8 | b2 << 16 : b2 | b1 << 8 | b0 << 16;
  }

  private long u32At(int p) {
    if (a == null) {
      return Integer.toUnsignedLong(buf.getInt(p));
    }
    int q = p + off;
    return le ? (a[q] & 0xffL) | (a[q + 1] & 0xffL) << 8 | (a[q + 2] & 0xffL) << 16 | (a[q + 3] & 0xffL) << 24
        : (a[q + 3] & 0xffL) | (a[q + 2] & 0xffL) << 8 | (a[q + 1] & 0xffL) << 16 | (a[q] & 0xffL) << 24;
  }

  public long u32() throws DwarfFormatException {
    if (limit - pos < 4) {
      throw eof(4);
    }
    long v = u32At(pos);
    pos += 4;
    return v;
  }

  public long u64() throws DwarfFormatException {
    if (limit - pos < 8) {
      throw eof(8);
    }
    long v;
    if (a == null) {
      v = buf.getLong(pos);
    } else {
      v = le ? u32At(pos) | u32At(pos + 4) << 32 : u32At(pos) << 32 | u32At(pos + 4);
    }
    pos += 8;
    return v;
  }

  /** An unsigned value of {@code size} bytes (1, 2, 4 or 8), e.g. an address of the unit's size. */
  public long unsigned(int size) throws DwarfFormatException {
    return switch (size) {
      case 1 -> u8();
      case 2 -> u16();
      case 4 -> u32();
      case 8 -> u64();
      default -> throw new DwarfFormatException(Kind.UNSUPPORTED, section, pos, "value size " + size);
    };
  }

  /** A section offset of the unit's format: 4 bytes in 32-bit DWARF, 8 in 64-bit DWARF (DWARF 5 §7.4). */
  public long offset(int offsetSize) throws DwarfFormatException {
    return offsetSize == 8 ? u64() : u32();
  }

  /**
   * Unsigned LEB128 (DWARF 5 §7.6). Values longer than 64 bits are an error rather than silently
   * truncated; redundant zero continuation bytes are accepted, as producers pad with them.
   */
  public long uleb() throws DwarfFormatException {
    // Fast path: most values (attribute codes, small constants) fit in one byte.
    if (pos < limit) {
      int b = byteAt(pos);
      if (b < 0x80) {
        pos++;
        return b;
      }
    }
    long result = 0;
    int shift = 0;
    int start = pos;
    while (true) {
      if (pos >= limit) {
        throw new DwarfFormatException(Kind.TRUNCATED, section, start, "unterminated leb128");
      }
      int b = byteAt(pos++);
      if (shift == 63 && (b & 0x7e) != 0) {
        throw new DwarfFormatException(Kind.LEB128_OVERFLOW, section, start, "leb128 value over 64 bits");
      }
      if (shift < 64) {
        result |= (long) (b & 0x7f) << shift;
      } else if ((b & 0x7f) != 0) {
        throw new DwarfFormatException(Kind.LEB128_OVERFLOW, section, start, "leb128 value over 64 bits");
      }
      if ((b & 0x80) == 0) {
        return result;
      }
      shift += 7;
    }
  }

  /** A ULEB128 that must fit in a non-negative int (counts, indexes, codes). */
  public int ulebInt() throws DwarfFormatException {
    if (pos < limit) {
      int b = byteAt(pos);
      if (b < 0x80) {
        pos++;
        return b;
      }
    }
    int start = pos;
    long v = uleb();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new DwarfFormatException(Kind.MALFORMED, section, start, "value " + Long.toUnsignedString(v) + " too large");
    }
    return (int) v;
  }

  /** Signed LEB128 (DWARF 5 §7.6). */
  public long sleb() throws DwarfFormatException {
    long result = 0;
    int shift = 0;
    int start = pos;
    int b;
    do {
      if (pos >= limit) {
        throw new DwarfFormatException(Kind.TRUNCATED, section, start, "unterminated leb128");
      }
      b = byteAt(pos++);
      if (shift == 63 && b != 0 && b != 0x7f) {
        throw new DwarfFormatException(Kind.LEB128_OVERFLOW, section, start, "leb128 value over 64 bits");
      }
      if (shift < 64) {
        result |= (long) (b & 0x7f) << shift;
      } else if ((b & 0x7f) != 0 && (b & 0x7f) != 0x7f) {
        throw new DwarfFormatException(Kind.LEB128_OVERFLOW, section, start, "leb128 value over 64 bits");
      }
      shift += 7;
    } while ((b & 0x80) != 0);
    if (shift < 64 && (b & 0x40) != 0) {
      result |= -1L << shift;
    }
    return result;
  }

  /** Skips a LEB128 value of either signedness. */
  public void skipLeb() throws DwarfFormatException {
    while (true) {
      if (pos >= limit) {
        throw eof(1);
      }
      if (byteAt(pos++) < 0x80) {
        return;
      }
    }
  }

  /** Skips a NUL-terminated string. */
  public void skipCString() throws DwarfFormatException {
    while (true) {
      if (pos >= limit) {
        throw new DwarfFormatException(Kind.TRUNCATED, section, pos, "unterminated string");
      }
      if (byteAt(pos++) == 0) {
        return;
      }
    }
  }

  /** A NUL-terminated UTF-8 string at the current position. */
  public String cString() throws DwarfFormatException {
    int start = pos;
    skipCString();
    if (a != null) {
      return decode(a, start + off, pos - 1 - start);
    }
    return decode(buf, start, pos - 1 - start);
  }

  /** The NUL-terminated string at {@code offset} of {@code buf}. */
  public static String cStringAt(ByteBuffer buf, long offset, String section) throws DwarfFormatException {
    if (offset < 0 || offset >= buf.limit()) {
      throw new DwarfFormatException(Kind.BAD_REFERENCE, section, offset, "string offset past end");
    }
    int start = (int) offset;
    int end = start;
    int lim = buf.limit();
    if (buf.hasArray()) {
      byte[] arr = buf.array();
      int base = buf.arrayOffset();
      while (end < lim && arr[base + end] != 0) {
        end++;
      }
      if (end == lim) {
        throw new DwarfFormatException(Kind.TRUNCATED, section, offset, "unterminated string");
      }
      return decode(arr, base + start, end - start);
    }
    while (end < lim && buf.get(end) != 0) {
      end++;
    }
    if (end == lim) {
      throw new DwarfFormatException(Kind.TRUNCATED, section, offset, "unterminated string");
    }
    return decode(buf, start, end - start);
  }

  private static String decode(ByteBuffer buf, int start, int len) {
    byte[] b = new byte[len];
    buf.get(start, b);
    return decode(b, 0, len);
  }

  private static String decode(byte[] b, int start, int len) {
    // Kernel names and paths are ASCII; ISO-8859-1 is a straight copy, UTF-8 only when needed.
    for (int i = start; i < start + len; i++) {
      if (b[i] < 0) {
        return new String(b, start, len, StandardCharsets.UTF_8);
      }
    }
    return new String(b, start, len, StandardCharsets.ISO_8859_1);
  }

  /**
   * Reads an initial length (DWARF 5 §7.4): returns the unit length and stores the offset size (4 or
   * 8) in {@code offsetSizeOut[0]}.
   */
  public long initialLength(int[] offsetSizeOut) throws DwarfFormatException {
    int start = pos;
    long len = u32();
    if (len == 0xffffffffL) {
      offsetSizeOut[0] = 8;
      len = u64();
      if (len < 0) {
        throw new DwarfFormatException(Kind.MALFORMED, section, start, "64-bit unit length too large");
      }
    } else if (len >= 0xfffffff0L) {
      throw new DwarfFormatException(Kind.UNSUPPORTED, section, start, "reserved unit length 0x" + Long.toHexString(len));
    } else {
      offsetSizeOut[0] = 4;
    }
    return len;
  }
}
