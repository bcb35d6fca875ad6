package dev.ktriage.cli.input.xz;

import java.io.EOFException;
import java.util.Arrays;

/**
 * LZMA's range decoder over one LZMA2 chunk's compressed bytes, read one at a time as bits need them:
 * when the chunk was cut short, decoding goes on up to the last bit its bytes determine and then
 * meets {@link EOFException}.
 *
 * <p>Not thread-safe.
 */
final class RangeDecoder {
  static final int BIT_MODEL_TOTAL_BITS = 11;
  static final int BIT_MODEL_TOTAL = 1 << BIT_MODEL_TOTAL_BITS;
  /** The initial probability of every bit model: one half. */
  static final short PROB_INIT = (short) (BIT_MODEL_TOTAL / 2);
  private static final int MOVE_BITS = 5;
  private static final int TOP_MASK = 0xFF000000;

  private byte[] in;
  private int pos;
  private int end;
  private int range;
  private int code;

  /** Sets every bit model of each table to {@link #PROB_INIT}. */
  static void initProbs(short[]... tables) {
    for (short[] t : tables) {
      Arrays.fill(t, PROB_INIT);
    }
  }

  /** Starts on the chunk's bytes {@code in[off, off + len)} (fewer than the chunk has if it was cut). */
  void start(byte[] in, int off, int len) throws EOFException, CorruptXzException {
    this.in = in;
    this.pos = off;
    this.end = off + len;
    if (next() != 0) {
      throw new CorruptXzException("an LZMA chunk does not start with a zero byte");
    }
    code = next() << 24 | next() << 16 | next() << 8 | next();
    range = 0xFFFFFFFF;
  }

  /** Whether the chunk's bytes are all read and the coder ended cleanly. */
  boolean finished() {
    return pos == end && code == 0;
  }

  private int next() throws EOFException {
    if (pos >= end) {
      throw new EOFException("an LZMA chunk ends early");
    }
    return in[pos++] & 0xff;
  }

  void normalize() throws EOFException {
    if ((range & TOP_MASK) == 0) {
      code = code << 8 | next();
      range <<= 8;
    }
  }

  int decodeBit(short[] probs, int index) throws EOFException {
    normalize();
    int prob = probs[index];
    int bound = (range >>> BIT_MODEL_TOTAL_BITS) * prob;
    if ((code ^ 0x80000000) < (bound ^ 0x80000000)) { // unsigned code < bound
      range = bound;
      probs[index] = (short) (prob + ((BIT_MODEL_TOTAL - prob) >>> MOVE_BITS));
      return 0;
    }
    range -= bound;
    code -= bound;
    probs[index] = (short) (prob - (prob >>> MOVE_BITS));
    return 1;
  }

  /** A symbol of {@code log2(probs.length)} bits, highest first. */
  int decodeBitTree(short[] probs) throws EOFException {
    int symbol = 1;
    do {
      symbol = symbol << 1 | decodeBit(probs, symbol);
    } while (symbol < probs.length);
    return symbol - probs.length;
  }

  /** A symbol of {@code log2(probs.length)} bits, lowest first. */
  int decodeReverseBitTree(short[] probs) throws EOFException {
    int symbol = 1;
    int i = 0;
    int result = 0;
    do {
      int bit = decodeBit(probs, symbol);
      symbol = symbol << 1 | bit;
      result |= bit << i++;
    } while (symbol < probs.length);
    return result;
  }

  /** {@code count} bits of even probability. */
  int decodeDirectBits(int count) throws EOFException {
    int result = 0;
    do {
      normalize();
      range >>>= 1;
      int t = (code - range) >>> 31; // 1 when code < range
      code -= range & (t - 1);
      result = result << 1 | (1 - t);
    } while (--count != 0);
    return result;
  }
}
