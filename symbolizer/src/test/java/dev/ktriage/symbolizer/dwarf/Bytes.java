package dev.ktriage.symbolizer.dwarf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A tiny byte writer for hand-built DWARF in either byte order. */
final class Bytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteOrder order;

  Bytes(ByteOrder order) {
    this.order = order;
  }

  int size() {
    return out.size();
  }

  Bytes u8(int v) {
    out.write(v);
    return this;
  }

  Bytes u16(int v) {
    return fixed(v, 2);
  }

  Bytes u32(long v) {
    return fixed(v, 4);
  }

  Bytes u64(long v) {
    return fixed(v, 8);
  }

  Bytes fixed(long v, int n) {
    for (int i = 0; i < n; i++) {
      int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * i : 8 * (n - 1 - i);
      out.write((int) (v >>> shift));
    }
    return this;
  }

  Bytes uleb(long v) {
    do {
      int b = (int) (v & 0x7f);
      v >>>= 7;
      out.write(v != 0 ? b | 0x80 : b);
    } while (v != 0);
    return this;
  }

  Bytes sleb(long v) {
    while (true) {
      int b = (int) (v & 0x7f);
      v >>= 7;
      boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
      out.write(done ? b : b | 0x80);
      if (done) {
        return this;
      }
    }
  }

  Bytes str(String s) {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
    out.write(0);
    return this;
  }

  Bytes raw(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  ByteBuffer buffer() {
    return ByteBuffer.wrap(bytes()).order(order);
  }

  /** Prefixes the content with a 32-bit unit length. */
  byte[] withLength32() {
    byte[] body = bytes();
    Bytes b = new Bytes(order).u32(body.length).raw(body);
    return b.bytes();
  }
}
