package dev.ktriage.cli.input.xz;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * An LZMA2 stream (one xz block's data) decoded chunk by chunk. Each chunk's bytes are read whole
 * when they are there; when the input ends inside a chunk, what its bytes determine is still decoded
 * and given out, and the next read throws the {@link EOFException}. Corrupt data likewise gives out
 * what was decoded before it was found, then throws.
 *
 * <p>Not thread-safe.
 */
final class Lzma2InputStream extends InputStream {
  private static final int CHUNK_MAX = 1 << 16;

  private final InputStream in;
  private final LzWindow lz;
  private final RangeDecoder rc = new RangeDecoder();
  private final LzmaDecoder lzma;
  private final byte[] chunk = new byte[CHUNK_MAX];
  /** Bytes of the current chunk's data left to give out. */
  private int left;
  private boolean lzmaChunk;
  /** An uncompressed chunk's bytes not yet in the window: {@code chunk[rawPos, rawEnd)}. */
  private int rawPos;
  private int rawEnd;
  /** The current chunk's data was cut short. */
  private boolean cut;
  private boolean needDictReset = true;
  private boolean needProps = true;
  private boolean end;
  private IOException failure;

  /** Reads LZMA2 from {@code in}, which it reads no further than the end marker, into {@code window}. */
  Lzma2InputStream(InputStream in, LzWindow window) {
    this.in = in;
    this.lz = window;
    this.lzma = new LzmaDecoder(lz, rc);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (len == 0) {
      return 0;
    }
    int total = 0;
    try {
      while (len > 0 && !end) {
        if (left == 0) {
          chunkHeader();
          continue;
        }
        lz.setLimit(Math.min(left, len));
        if (lzmaChunk) {
          lzma.decode();
        } else {
          rawPos += lz.copyUncompressed(chunk, rawPos, rawEnd - rawPos);
        }
        int n = lz.flush(b, off);
        off += n;
        len -= n;
        total += n;
        left -= n;
        if (left > 0 && !lzmaChunk && rawPos == rawEnd) {
          throw new EOFException("an uncompressed LZMA2 chunk ends early");
        }
        if (left == 0 && lzmaChunk && (!rc.finished() || lz.hasPending())) {
          throw new CorruptXzException("an LZMA chunk's data does not end where its header says");
        }
      }
    } catch (IOException e) {
      // what was decoded before the end or the damage goes out first, as xz -dc prints it
      int n = lz.flush(b, off);
      total += n;
      left -= n;
      failure = e;
      if (total == 0) {
        throw e;
      }
    }
    return total == 0 && end ? -1 : total;
  }

  private void chunkHeader() throws IOException {
    if (cut) {
      throw new EOFException("an LZMA2 chunk ends early");
    }
    int control = readByte();
    if (control == 0x00) {
      end = true;
      return;
    }
    if (control >= 0xE0 || control == 0x01) {
      needProps = true;
      needDictReset = false;
      lz.reset();
    } else if (needDictReset) {
      throw new CorruptXzException("the first LZMA2 chunk does not reset the dictionary");
    }
    if (control >= 0x80) {
      lzmaChunk = true;
      left = ((control & 0x1F) << 16) + readShort() + 1;
      int compressed = readShort() + 1;
      if (control >= 0xC0) {
        needProps = false;
        lzma.setProperties(readByte());
      } else if (needProps) {
        throw new CorruptXzException("an LZMA2 chunk needs properties that no chunk gave");
      } else if (control >= 0xA0) {
        lzma.reset();
      }
      int n = in.readNBytes(chunk, 0, compressed);
      cut = n < compressed;
      rc.start(chunk, 0, n);
    } else if (control > 0x02) {
      throw new CorruptXzException("bad LZMA2 control byte 0x" + Integer.toHexString(control));
    } else {
      lzmaChunk = false;
      left = readShort() + 1;
      rawEnd = in.readNBytes(chunk, 0, left);
      rawPos = 0;
      cut = rawEnd < left;
    }
  }

  private int readByte() throws IOException {
    int c = in.read();
    if (c < 0) {
      throw new EOFException("LZMA2 data ends early");
    }
    return c;
  }

  private int readShort() throws IOException {
    return readByte() << 8 | readByte();
  }
}
