package dev.ktriage.cli.input.xz;

import java.io.EOFException;
import java.util.Arrays;

/**
 * LZMA's symbols (literals, matches, repeated matches) decoded into an {@link LzWindow}: the model
 * of the LZMA specification (12 states, four repeat distances, literal contexts {@code lc}/{@code lp},
 * position bits {@code pb}). LZMA2 has no end marker: a match that reaches before the data is corrupt.
 *
 * <p>Not thread-safe.
 */
final class LzmaDecoder {
  private static final int STATES = 12;
  private static final int LIT_STATES = 7;
  private static final int POS_STATES_MAX = 1 << 4;
  private static final int MATCH_LEN_MIN = 2;
  private static final int LOW_SYMBOLS = 1 << 3;
  private static final int MID_SYMBOLS = 1 << 3;
  private static final int HIGH_SYMBOLS = 1 << 8;
  private static final int DIST_STATES = 4;
  private static final int DIST_SLOTS = 1 << 6;
  private static final int DIST_MODEL_START = 4;
  private static final int DIST_MODEL_END = 14;
  private static final int ALIGN_BITS = 4;
  private static final int ALIGN_SIZE = 1 << ALIGN_BITS;

  private final LzWindow lz;
  private final RangeDecoder rc;
  private int lc;
  private int lpMask;
  private int posMask;
  private short[][] literal = new short[0][];

  private int state;
  private final int[] reps = new int[4];
  private final short[][] isMatch = new short[STATES][POS_STATES_MAX];
  private final short[] isRep = new short[STATES];
  private final short[] isRep0 = new short[STATES];
  private final short[] isRep1 = new short[STATES];
  private final short[] isRep2 = new short[STATES];
  private final short[][] isRep0Long = new short[STATES][POS_STATES_MAX];
  private final short[][] distSlots = new short[DIST_STATES][DIST_SLOTS];
  private final short[][] distSpecial = new short[DIST_MODEL_END - DIST_MODEL_START][];
  private final short[] distAlign = new short[ALIGN_SIZE];
  private final LengthDecoder matchLen = new LengthDecoder();
  private final LengthDecoder repLen = new LengthDecoder();

  LzmaDecoder(LzWindow lz, RangeDecoder rc) {
    this.lz = lz;
    this.rc = rc;
    for (int slot = DIST_MODEL_START; slot < DIST_MODEL_END; slot++) {
      distSpecial[slot - DIST_MODEL_START] = new short[1 << ((slot >>> 1) - 1)];
    }
  }

  /**
   * Takes new properties (an LZMA2 chunk that carries them) and resets the state.
   *
   * @param props the properties byte, {@code (pb * 5 + lp) * 9 + lc}
   */
  void setProperties(int props) throws CorruptXzException {
    if (props > (4 * 5 + 4) * 9 + 8) {
      throw new CorruptXzException("bad LZMA properties byte " + props);
    }
    int newLc = props % 9;
    int lp = props / 9 % 5;
    int pb = props / 45;
    if (newLc + lp > 4) {
      throw new CorruptXzException("LZMA2 allows lc + lp <= 4, not " + (newLc + lp));
    }
    lc = newLc;
    lpMask = (1 << lp) - 1;
    posMask = (1 << pb) - 1;
    int subcoders = 1 << (lc + lp);
    if (literal.length != subcoders) {
      literal = new short[subcoders][0x300];
    }
    reset();
  }

  /** Starts the model afresh (an LZMA2 state reset). */
  void reset() {
    state = 0;
    Arrays.fill(reps, 0);
    RangeDecoder.initProbs(isMatch);
    RangeDecoder.initProbs(isRep, isRep0, isRep1, isRep2, distAlign);
    RangeDecoder.initProbs(isRep0Long);
    RangeDecoder.initProbs(distSlots);
    RangeDecoder.initProbs(distSpecial);
    RangeDecoder.initProbs(literal);
    matchLen.reset();
    repLen.reset();
  }

  /** Decodes until the window's limit (or the chunk's bytes run out: {@link EOFException}). */
  void decode() throws EOFException, CorruptXzException {
    lz.repeatPending();
    while (lz.hasSpace()) {
      int posState = lz.pos() & posMask;
      if (rc.decodeBit(isMatch[state], posState) == 0) {
        literal();
      } else {
        int len = rc.decodeBit(isRep, state) == 0 ? match(posState) : repMatch(posState);
        lz.repeat(reps[0], len);
      }
    }
    rc.normalize();
  }

  private void literal() throws EOFException {
    short[] probs = literal[(lz.getByte(0) >>> (8 - lc)) | ((lz.pos() & lpMask) << lc)];
    int symbol = 1;
    if (state < LIT_STATES) {
      do {
        symbol = symbol << 1 | rc.decodeBit(probs, symbol);
      } while (symbol < 0x100);
    } else {
      // after a match, the byte at the match distance steers the first bits that agree with it
      int matchByte = lz.getByte(reps[0]);
      int offset = 0x100;
      do {
        matchByte <<= 1;
        int matchBit = matchByte & offset;
        int bit = rc.decodeBit(probs, offset + matchBit + symbol);
        symbol = symbol << 1 | bit;
        offset &= (0 - bit) ^ ~matchBit;
      } while (symbol < 0x100);
    }
    lz.putByte(symbol);
    state = state <= 3 ? 0 : state <= 9 ? state - 3 : state - 6;
  }

  private int match(int posState) throws EOFException {
    state = state < LIT_STATES ? 7 : 10;
    reps[3] = reps[2];
    reps[2] = reps[1];
    reps[1] = reps[0];
    int len = matchLen.decode(posState);
    int slot = rc.decodeBitTree(distSlots[Math.min(len - MATCH_LEN_MIN, DIST_STATES - 1)]);
    if (slot < DIST_MODEL_START) {
      reps[0] = slot;
    } else {
      int limit = (slot >>> 1) - 1;
      int dist = (2 | (slot & 1)) << limit;
      if (slot < DIST_MODEL_END) {
        dist |= rc.decodeReverseBitTree(distSpecial[slot - DIST_MODEL_START]);
      } else {
        dist |= rc.decodeDirectBits(limit - ALIGN_BITS) << ALIGN_BITS;
        dist |= rc.decodeReverseBitTree(distAlign);
      }
      reps[0] = dist;
    }
    return len;
  }

  private int repMatch(int posState) throws EOFException {
    if (rc.decodeBit(isRep0, state) == 0) {
      if (rc.decodeBit(isRep0Long[state], posState) == 0) {
        state = state < LIT_STATES ? 9 : 11; // a short rep: one byte from reps[0]
        return 1;
      }
    } else {
      int dist;
      if (rc.decodeBit(isRep1, state) == 0) {
        dist = reps[1];
      } else {
        if (rc.decodeBit(isRep2, state) == 0) {
          dist = reps[2];
        } else {
          dist = reps[3];
          reps[3] = reps[2];
        }
        reps[2] = reps[1];
      }
      reps[1] = reps[0];
      reps[0] = dist;
    }
    state = state < LIT_STATES ? 8 : 11;
    return repLen.decode(posState);
  }

  /** Match lengths: 2-9 (low), 10-17 (mid), 18-273 (high), the first two by position state. */
  private final class LengthDecoder {
    private final short[] choice = new short[2];
    private final short[][] low = new short[POS_STATES_MAX][LOW_SYMBOLS];
    private final short[][] mid = new short[POS_STATES_MAX][MID_SYMBOLS];
    private final short[] high = new short[HIGH_SYMBOLS];

    void reset() {
      RangeDecoder.initProbs(choice, high);
      RangeDecoder.initProbs(low);
      RangeDecoder.initProbs(mid);
    }

    int decode(int posState) throws EOFException {
      if (rc.decodeBit(choice, 0) == 0) {
        return rc.decodeBitTree(low[posState]) + MATCH_LEN_MIN;
      }
      if (rc.decodeBit(choice, 1) == 0) {
        return rc.decodeBitTree(mid[posState]) + MATCH_LEN_MIN + LOW_SYMBOLS;
      }
      return rc.decodeBitTree(high) + MATCH_LEN_MIN + LOW_SYMBOLS + MID_SYMBOLS;
    }
  }
}
