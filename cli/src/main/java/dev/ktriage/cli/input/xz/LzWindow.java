package dev.ktriage.cli.input.xz;

/**
 * LZMA's sliding dictionary: the bytes decoded so far (the last {@code size} of them), which matches
 * copy from, and the part not yet handed out. Its size is a multiple of 16, so that the position in
 * it gives the same low bits as the position in the output, which LZMA's contexts use.
 *
 * <p>Not thread-safe.
 */
final class LzWindow {
  private final byte[] buf;
  /** Where the bytes not yet handed out start. */
  private int start;
  /** Where the next byte goes. */
  private int pos;
  /** How many bytes of {@link #buf} hold data (matches may reach that far back). */
  private int full;
  /** Where decoding stops for now: {@link #pos} may not pass it. */
  private int limit;
  private int pendingLen;
  private int pendingDist;

  LzWindow(int size) {
    buf = new byte[(size + 15) & ~15];
  }

  int size() {
    return buf.length;
  }

  /** Empties the dictionary (an LZMA2 dictionary reset). */
  void reset() {
    start = 0;
    pos = 0;
    full = 0;
    limit = 0;
    pendingLen = 0;
    buf[buf.length - 1] = 0; // the "previous byte" of the first literal is 0
  }

  /** Lets at most {@code outMax} more bytes be decoded before the next {@link #flush}. */
  void setLimit(int outMax) {
    limit = buf.length - pos <= outMax ? buf.length : pos + outMax;
  }

  boolean hasSpace() {
    return pos < limit;
  }

  /** Whether a match was cut by the limit and has bytes left to copy. */
  boolean hasPending() {
    return pendingLen > 0;
  }

  /** The position in the window (its low bits are the output position's). */
  int pos() {
    return pos;
  }

  /** The byte {@code dist + 1} bytes back. */
  int getByte(int dist) {
    int at = pos - dist - 1;
    return buf[at < 0 ? at + buf.length : at] & 0xff;
  }

  void putByte(int b) {
    buf[pos++] = (byte) b;
    if (full < pos) {
      full = pos;
    }
  }

  /** Puts up to {@code len} bytes of {@code src} from {@code off} (an uncompressed chunk's), as the limit lets; how many. */
  int copyUncompressed(byte[] src, int off, int len) {
    int n = Math.min(limit - pos, len);
    System.arraycopy(src, off, buf, pos, n);
    pos += n;
    if (full < pos) {
      full = pos;
    }
    return n;
  }

  /** Copies {@code len} bytes from {@code dist + 1} bytes back (as far as the limit lets; the rest is pending). */
  void repeat(int dist, int len) throws CorruptXzException {
    if (dist < 0 || dist >= full) {
      throw new CorruptXzException("a match reaches before the start of the data");
    }
    int left = Math.min(limit - pos, len);
    pendingLen = len - left;
    pendingDist = dist;
    int back = pos - dist - 1;
    if (back < 0) {
      back += buf.length;
    }
    if (back + left <= buf.length && (back + left <= pos || back >= pos + left)) {
      System.arraycopy(buf, back, buf, pos, left); // no wrap, no overlap
      pos += left;
    } else {
      for (int i = 0; i < left; i++) {
        buf[pos++] = buf[back++];
        if (back == buf.length) {
          back = 0;
        }
      }
    }
    if (full < pos) {
      full = pos;
    }
  }

  /** Goes on with a match the limit cut. */
  void repeatPending() throws CorruptXzException {
    if (pendingLen > 0) {
      repeat(pendingDist, pendingLen);
    }
  }

  /** Hands out the bytes decoded since the last flush into {@code out} at {@code off}; how many. */
  int flush(byte[] out, int off) {
    int n = pos - start;
    System.arraycopy(buf, start, out, off, n);
    if (pos == buf.length) {
      pos = 0;
    }
    start = pos;
    return n;
  }
}
