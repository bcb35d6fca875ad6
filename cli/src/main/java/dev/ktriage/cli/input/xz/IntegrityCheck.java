package dev.ktriage.cli.input.xz;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32;

/**
 * The integrity check an xz stream keeps of each block's uncompressed data, by the check type in the
 * stream flags: none, CRC32, CRC64 or SHA-256. Other types are reserved: their size is known, their
 * algorithm not, so (as {@code xz} does) they are skipped unverified.
 *
 * <p>Not thread-safe: one per block.
 */
abstract sealed class IntegrityCheck {
  /** The check's size in bytes for each of the 16 check types. */
  private static final int[] SIZES = {0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64};

  static int size(int type) {
    return SIZES[type];
  }

  /** A fresh check of {@code type} (0-15). */
  static IntegrityCheck of(int type) {
    return switch (type) {
      case 0x01 -> new Crc32Check();
      case 0x04 -> new Crc64Check();
      case 0x0A -> new Sha256Check();
      default -> new Unverified();
    };
  }

  abstract void update(byte[] b, int off, int len);

  /** The check's bytes as the stream stores them; empty when it is not verified. */
  abstract byte[] finish();

  private static final class Unverified extends IntegrityCheck {
    @Override
    void update(byte[] b, int off, int len) { }

    @Override
    byte[] finish() {
      return new byte[0];
    }
  }

  private static final class Crc32Check extends IntegrityCheck {
    private final CRC32 crc = new CRC32();

    @Override
    void update(byte[] b, int off, int len) {
      crc.update(b, off, len);
    }

    @Override
    byte[] finish() {
      return littleEndian(crc.getValue(), 4);
    }
  }

  /** CRC-64 of ECMA-182, bit-reflected, as xz computes it. */
  private static final class Crc64Check extends IntegrityCheck {
    private static final long[] TABLE = new long[256];

    static {
      for (int i = 0; i < 256; i++) {
        long r = i;
        for (int k = 0; k < 8; k++) {
          r = (r & 1) != 0 ? (r >>> 1) ^ 0xC96C5795D7870F42L : r >>> 1;
        }
        TABLE[i] = r;
      }
    }

    private long crc = -1;

    @Override
    void update(byte[] b, int off, int len) {
      long c = crc;
      for (int i = off; i < off + len; i++) {
        c = TABLE[(b[i] ^ (int) c) & 0xFF] ^ (c >>> 8);
      }
      crc = c;
    }

    @Override
    byte[] finish() {
      return littleEndian(~crc, 8);
    }
  }

  private static final class Sha256Check extends IntegrityCheck {
    private final MessageDigest sha;

    Sha256Check() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-256", e);
      }
    }

    @Override
    void update(byte[] b, int off, int len) {
      sha.update(b, off, len);
    }

    @Override
    byte[] finish() {
      return sha.digest();
    }
  }

  private static byte[] littleEndian(long v, int n) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = (byte) (v >>> (8 * i));
    }
    return out;
  }
}
