package dev.ktriage.cli.input.xz;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * An {@code .xz} file decoded as it is read: one or more streams (with stream padding between them),
 * each a sequence of blocks, an index and a footer, every part checked (header CRC32s, each block's
 * integrity check and sizes against its header and the index). When the data ends early (a cut file)
 * every byte it determines has been given out before {@link EOFException} is thrown; damage is a
 * {@link CorruptXzException} after the bytes decoded before it.
 *
 * <p>Not thread-safe.
 */
public final class XzInputStream extends InputStream {
  private static final byte[] HEADER_MAGIC = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};
  private static final int STREAM_HEADER_SIZE = 12;

  private final Counting in;
  private int streamFlags;
  private int checkType;
  /** Each finished block of the current stream: its unpadded size and its uncompressed size. */
  private final List<long[]> blocks = new ArrayList<>();
  private long indexSize;
  private LzWindow window;

  private Block block;
  private boolean done;
  private IOException failure;

  /** The block being read: where its data starts, its decoders, its check and how much it gave out. */
  private static final class Block {
    final BlockHeader header;
    final long dataStart;
    final InputStream out;
    final IntegrityCheck check;
    long produced;

    Block(BlockHeader header, long dataStart, InputStream out, IntegrityCheck check) {
      this.header = header;
      this.dataStart = dataStart;
      this.out = out;
      this.check = check;
    }
  }

  /**
   * Reads the first stream header of {@code in}.
   *
   * @throws CorruptXzException when it is not an xz stream
   * @throws EOFException when the data ends inside the header
   */
  public XzInputStream(InputStream in) throws IOException {
    this.in = new Counting(in);
    byte[] header = new byte[STREAM_HEADER_SIZE];
    readFully(this.in, header, 0, header.length);
    streamHeader(header);
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
    try {
      while (!done) {
        if (block == null) {
          nextBlock();
          continue;
        }
        int n = block.out.read(b, off, len);
        if (n < 0) {
          endBlock();
        } else if (n > 0) {
          block.check.update(b, off, n);
          block.produced += n;
          return n;
        }
      }
      return -1;
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  private void streamHeader(byte[] h) throws IOException {
    if (!Arrays.equals(h, 0, HEADER_MAGIC.length, HEADER_MAGIC, 0, HEADER_MAGIC.length)) {
      throw new CorruptXzException("not an xz stream (bad magic)");
    }
    CRC32 crc = new CRC32();
    crc.update(h, 6, 2);
    if ((int) crc.getValue() != int32(h, 8)) {
      throw new CorruptXzException("the stream header's CRC32 does not match");
    }
    if (h[6] != 0 || (h[7] & 0xF0) != 0) {
      throw new CorruptXzException("the stream header sets reserved flags");
    }
    streamFlags = (h[6] & 0xFF) << 8 | (h[7] & 0xFF);
    checkType = h[7] & 0x0F;
    blocks.clear();
  }

  /** Reads the next block header, or the index, footer and what follows the stream. */
  private void nextBlock() throws IOException {
    int first = readByte();
    if (first == 0) {
      index();
      footer();
      nextStream();
      return;
    }
    BlockHeader header = BlockHeader.read(first, in);
    int dict = header.dictSize();
    if (header.uncompressedSize().isPresent()) {
      // no block needs a dictionary larger than its data: a small log does not allocate 64 MiB
      dict = (int) Math.max(4096, Math.min(dict, header.uncompressedSize().getAsLong()));
    }
    if (window == null || window.size() < dict) {
      window = new LzWindow(dict);
    }
    InputStream out = header.decoders(new Lzma2InputStream(in, window));
    block = new Block(header, in.count, out, IntegrityCheck.of(checkType));
  }

  /** Checks the block's padding, sizes and integrity check once its data is all out. */
  private void endBlock() throws IOException {
    long compressed = in.count - block.dataStart;
    long uncompressed = block.produced;
    BlockHeader h = block.header;
    if (h.compressedSize().isPresent() && h.compressedSize().getAsLong() != compressed
        || h.uncompressedSize().isPresent() && h.uncompressedSize().getAsLong() != uncompressed) {
      throw new CorruptXzException("a block's size is not the one its header declares");
    }
    for (long p = compressed; (p & 3) != 0; p++) {
      if (readByte() != 0) {
        throw new CorruptXzException("a block's padding is not zero");
      }
    }
    byte[] stored = new byte[IntegrityCheck.size(checkType)];
    readFully(in, stored, 0, stored.length);
    byte[] computed = block.check.finish();
    if (computed.length > 0 && !Arrays.equals(stored, computed)) {
      throw new CorruptXzException("a block's integrity check does not match its data");
    }
    blocks.add(new long[] {h.size() + compressed + stored.length, uncompressed});
    block = null;
  }

  /** The index (its indicator byte read): it must list the blocks just read. */
  private void index() throws IOException {
    CRC32 crc = new CRC32();
    crc.update(0);
    long start = in.count - 1;
    long records = varint(crc);
    if (records != blocks.size()) {
      throw new CorruptXzException("the index lists " + records + " blocks, the stream has " + blocks.size());
    }
    for (long[] blk : blocks) {
      if (varint(crc) != blk[0] || varint(crc) != blk[1]) {
        throw new CorruptXzException("the index does not match the blocks");
      }
    }
    while (((in.count - start) & 3) != 0) {
      int pad = readByte();
      crc.update(pad);
      if (pad != 0) {
        throw new CorruptXzException("the index padding is not zero");
      }
    }
    long size = in.count - start;
    byte[] stored = new byte[4];
    readFully(in, stored, 0, 4);
    if ((int) crc.getValue() != int32(stored, 0)) {
      throw new CorruptXzException("the index's CRC32 does not match");
    }
    indexSize = size + 4;
  }

  private void footer() throws IOException {
    byte[] f = new byte[12];
    readFully(in, f, 0, f.length);
    CRC32 crc = new CRC32();
    crc.update(f, 4, 6);
    if ((int) crc.getValue() != int32(f, 0)) {
      throw new CorruptXzException("the stream footer's CRC32 does not match");
    }
    long backward = ((int32(f, 4) & 0xFFFFFFFFL) + 1) * 4;
    if (backward != indexSize) {
      throw new CorruptXzException("the stream footer does not point at the index");
    }
    if (((f[8] & 0xFF) << 8 | (f[9] & 0xFF)) != streamFlags) {
      throw new CorruptXzException("the stream footer's flags are not the header's");
    }
    if (f[10] != 'Y' || f[11] != 'Z') {
      throw new CorruptXzException("bad stream footer magic");
    }
  }

  /** After a stream: stream padding (zeros in fours), then the end or another stream. */
  private void nextStream() throws IOException {
    byte[] four = new byte[4];
    while (true) {
      int n = in.readNBytes(four, 0, 4);
      if (n == 0) {
        done = true;
        return;
      }
      if (n < 4) {
        throw new CorruptXzException("the data after an xz stream is not a multiple of four bytes");
      }
      if (int32(four, 0) != 0) {
        byte[] header = Arrays.copyOf(four, STREAM_HEADER_SIZE);
        readFully(in, header, 4, STREAM_HEADER_SIZE - 4);
        streamHeader(header);
        return;
      }
    }
  }

  private long varint(CRC32 crc) throws IOException {
    long v = 0;
    for (int i = 0; i < 9; i++) {
      int x = readByte();
      crc.update(x);
      v |= (long) (x & 0x7F) << (7 * i);
      if ((x & 0x80) == 0) {
        if (x == 0 && i > 0) {
          throw new CorruptXzException("the index has a badly encoded number");
        }
        return v;
      }
    }
    throw new CorruptXzException("the index has a number longer than 9 bytes");
  }

  private int readByte() throws IOException {
    int c = in.read();
    if (c < 0) {
      throw new EOFException("xz data ends early");
    }
    return c;
  }

  static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
    if (in.readNBytes(b, off, len) < len) {
      throw new EOFException("xz data ends early");
    }
  }

  static int int32(byte[] b, int off) {
    return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Counts the compressed bytes read, for the sizes the headers, index and footer state. */
  private static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      if (c >= 0) {
        count++;
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
