package dev.ktriage.symbolizer.cache;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;

/** Little-endian primitive writer that tracks its position and a running CRC32. Not thread-safe. */
final class LeWriter {
  private final OutputStream out;
  private final CRC32 crc = new CRC32();
  private final byte[] buf = new byte[1 << 16];
  private int n;
  private long position;

  LeWriter(OutputStream out) {
    this.out = out;
  }

  long position() {
    return position;
  }

  long crc() {
    flushBuf();
    return crc.getValue();
  }

  private void flushBuf() {
    if (n > 0) {
      crc.update(buf, 0, n);
      try {
        out.write(buf, 0, n);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      n = 0;
    }
  }

  private void room(int k) {
    if (n + k > buf.length) {
      flushBuf();
    }
  }

  void u8(int v) {
    room(1);
    buf[n++] = (byte) v;
    position++;
  }

  void i32(int v) {
    room(4);
    buf[n++] = (byte) v;
    buf[n++] = (byte) (v >>> 8);
    buf[n++] = (byte) (v >>> 16);
    buf[n++] = (byte) (v >>> 24);
    position += 4;
  }

  void i64(long v) {
    room(8);
    for (int i = 0; i < 8; i++) {
      buf[n++] = (byte) (v >>> (8 * i));
    }
    position += 8;
  }

  void bytes(byte[] b) {
    for (byte x : b) {
      u8(x);
    }
  }

  void align8() {
    while ((position & 7) != 0) {
      u8(0);
    }
  }

  void ints(int[] a) {
    i32(a.length);
    align8();
    for (int v : a) {
      i32(v);
    }
    align8();
  }

  void longs(long[] a) {
    i32(a.length);
    align8();
    for (long v : a) {
      i64(v);
    }
  }

  void byteArray(byte[] a) {
    i32(a.length);
    align8();
    bytes(a);
    align8();
  }

  /** Flushes buffered bytes to the stream (the CRC already covers them). */
  void flush() throws IOException {
    try {
      flushBuf();
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    out.flush();
  }
}
