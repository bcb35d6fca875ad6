package dev.ktriage.depot.store;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import dev.ktriage.depot.StoreAccessException;
import dev.ktriage.depot.io.IoFailures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.lucene.util.BytesRef;

/**
 * How the store keeps a report's JSON: one codec byte, the UTF-8 length as a varint, then the bytes.
 * Codec {@link #ZSTD_DICT_1} is zstd (level 1) with a dictionary trained on report JSON
 * ({@code report-json-1.dict}, see bench/depot/train-dict.sh): about a tenth of the size, and cheaper
 * than handing 8 KB of text to Lucene's stored-field compression. Codec {@link #RAW} is plain UTF-8,
 * used when the native zstd library cannot be loaded. A new dictionary gets a new codec number; the old
 * ones stay readable.
 *
 * <p>Thread-safe (a compression context per thread).
 */
final class JsonCodec {
  private JsonCodec() {} // no instance

  static final byte RAW = 0;
  static final byte ZSTD_DICT_1 = 1;
  private static final int LEVEL = 1;

  /**
   * The native zstd library, or why it could not be loaded: zstd-jni unpacks it into {@code
   * java.io.tmpdir} on each run, which fails on a full disk or under a file size limit.
   */
  private record Native(Zstd zstd, String problem) {}

  private static final Native NATIVE = Zstd.load();
  private static final Zstd ZSTD = NATIVE.zstd();
  /** No stored report is near this; a larger length is damage, not a reason to allocate it. */
  private static final int MAX_JSON_BYTES = 1 << 28;

  /** The stored form of a report's JSON. */
  static BytesRef encode(String json) {
    return encode(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The stored form of a report's JSON given as UTF-8 (not kept: the result is a copy). */
  static BytesRef encode(byte[] utf8) {
    byte[] head = new byte[6];
    head[0] = ZSTD == null ? RAW : ZSTD_DICT_1;
    int p = 1;
    int n = utf8.length;
    while ((n & ~0x7F) != 0) {
      head[p++] = (byte) ((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    head[p++] = (byte) n;
    if (ZSTD == null) {
      byte[] out = new byte[p + utf8.length];
      System.arraycopy(head, 0, out, 0, p);
      System.arraycopy(utf8, 0, out, p, utf8.length);
      return new BytesRef(out);
    }
    return new BytesRef(ZSTD.compress(head, p, utf8));
  }

  /** The JSON back from its stored form. */
  static String decode(BytesRef ref) {
    return new String(decodeUtf8(ref), StandardCharsets.UTF_8);
  }

  /** The JSON back from its stored form, as UTF-8. */
  static byte[] decodeUtf8(BytesRef ref) {
    byte[] b = ref.bytes;
    int p = ref.offset;
    int end = ref.offset + ref.length;
    if (ref.length == 0) {
      throw new IllegalStateException("stored report JSON is empty");
    }
    byte codec = b[p++];
    int len = 0;
    for (int shift = 0; ; shift += 7) {
      if (p >= end || shift > 28) {
        throw new IllegalStateException("stored report JSON has a bad length");
      }
      byte x = b[p++];
      len |= (x & 0x7F) << shift;
      if (x >= 0) {
        break;
      }
    }
    if (len < 0 || len > MAX_JSON_BYTES) {
      throw new IllegalStateException("stored report JSON claims " + Integer.toUnsignedString(len) + " bytes");
    }
    return switch (codec) {
      case RAW -> {
        if (end - p != len) { // the framing disagrees with itself: damage, not a report to guess at
          throw new IllegalStateException("stored report JSON claims " + len + " bytes and has " + (end - p));
        }
        yield java.util.Arrays.copyOfRange(b, p, end);
      }
      case ZSTD_DICT_1 -> {
        if (ZSTD == null) {
          throw new UncheckedIOException(unavailable());
        }
        yield ZSTD.decompress(b, p, end - p, len);
      }
      default -> throw new IllegalStateException("unknown JSON codec " + codec);
    };
  }

  /**
   * Why stored JSON that is zstd-compressed cannot be read here: an access problem when the library
   * could not be unpacked (a full disk, a file size limit), else a plain I/O error naming the cause.
   */
  private static IOException unavailable() {
    String why = String.valueOf(NATIVE.problem());
    IOException e = new IOException("the native zstd library is unavailable (" + why + ")");
    StoreAccessException a = IoFailures.classify(Path.of(System.getProperty("java.io.tmpdir")), e, true);
    return a != null ? a : e;
  }

  /** The native side: the dictionary and a context per thread. */
  private static final class Zstd {
    /** zstd's ZSTD_CONTENTSIZE_UNKNOWN: a frame written without its size (ours always carry it). */
    private static final long ZSTD_CONTENTSIZE_UNKNOWN = -1;

    private final ZstdDictCompress cdict;
    private final ZstdDictDecompress ddict;
    private final ThreadLocal<ZstdCompressCtx> cctx;
    private final ThreadLocal<ZstdDecompressCtx> dctx;

    private Zstd(byte[] dict) {
      cdict = new ZstdDictCompress(dict, LEVEL);
      ddict = new ZstdDictDecompress(dict);
      cctx = ThreadLocal.withInitial(() -> {
        ZstdCompressCtx c = new ZstdCompressCtx();
        c.setLevel(LEVEL);
        c.setChecksum(false);
        c.loadDict(cdict);
        return c;
      });
      dctx = ThreadLocal.withInitial(() -> {
        ZstdDecompressCtx d = new ZstdDecompressCtx();
        d.loadDict(ddict);
        return d;
      });
    }

    static Native load() {
      try (InputStream in = JsonCodec.class.getResourceAsStream("report-json-1.dict")) {
        if (in == null) {
          throw new IllegalStateException("report-json-1.dict is missing from the build");
        }
        return new Native(new Zstd(in.readAllBytes()), null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (LinkageError e) {
        // no native zstd here (another platform, or it could not be unpacked): store plain UTF-8
        return new Native(null, e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }

    /** Each thread's scratch: compressed into once, then copied out at its exact size. */
    private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[16384]);

    /** {@code head[0, headLen)} followed by {@code src} compressed, in an array of exactly that size. */
    byte[] compress(byte[] head, int headLen, byte[] src) {
      int need = headLen + (int) com.github.luben.zstd.Zstd.compressBound(src.length);
      byte[] buf = scratch.get();
      if (buf.length < need) {
        buf = new byte[Math.max(need, buf.length * 2)];
        scratch.set(buf);
      }
      int n = cctx.get().compressByteArray(buf, headLen, buf.length - headLen, src, 0, src.length);
      byte[] out = java.util.Arrays.copyOf(buf, headLen + n);
      System.arraycopy(head, 0, out, 0, headLen);
      return out;
    }

    byte[] decompress(byte[] src, int off, int len, int originalSize) {
      // The frame header names its own content size: a damaged length field must not make us allocate
      // up to MAX_JSON_BYTES before zstd refuses the frame (at -Xmx256m that is an OutOfMemoryError).
      long framed = com.github.luben.zstd.Zstd.getFrameContentSize(src, off, len);
      if (framed != originalSize && framed != ZSTD_CONTENTSIZE_UNKNOWN) {
        throw new IllegalStateException(framed < 0
            ? "stored report JSON is not a zstd frame"
            : "stored report JSON claims " + originalSize + " bytes, its zstd frame " + framed);
      }
      byte[] out = new byte[originalSize];
      int n = dctx.get().decompressByteArray(out, 0, originalSize, src, off, len);
      if (n != originalSize) {
        throw new IllegalStateException("stored report JSON decompressed to " + n + " bytes, not " + originalSize);
      }
      return out;
    }
  }
}
